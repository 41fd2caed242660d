// The caption text on screen, mirrored into a live region so screen readers and braille displays
// follow the captions. Visually hidden: the engine draws the captions on the picture; this text is
// only for assistive technology. React renders it as text (never as HTML), so cue text cannot
// inject markup.
import { usePlayer } from './store-context';

export function CaptionsLiveRegion() {
  const captions = usePlayer((s) => s.captions);
  return (
    <div className="visually-hidden" id="captions-live" role="log" aria-live="polite" aria-atomic="true" aria-label="Caption text">
      {captions.map((text, i) => (
        <p key={i}>{text}</p>
      ))}
    </div>
  );
}
