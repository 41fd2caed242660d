// The viewer's sound: mute (SoundControls) and volume (VolumeControl) in the control bar, and the
// dialogue balance (broadcast mix … clearest dialogue) and audio description in the settings'
// Accessibility group (DialogueBalanceControl, AudioDescriptionControl). Volume and mute are the engine's output
// controls, saved with the audio settings; balance and description are viewer context, chosen
// through the viewer session (the plan re-resolves in place; the mixer ramps within 20 ms) and
// remembered with the other context preferences. Native inputs with labels: keyboard-operable.
import { useId } from 'react';

import type { PlayerController } from '../player/controller';
import { saveAudioSettings, type AudioSettings } from '../player/audio-settings';
import type { ViewerContext } from '../player/protocol';
import type { ViewerSession } from '../player/viewer-session';
import { ControlIcon } from './ControlIcon';
import { usePlayer } from './store-context';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // denied by the browser's privacy settings: settings last for this visit
  }
}

function changeSound(controller: PlayerController, patch: Partial<AudioSettings>): void {
  const next = { ...controller.audioSettings(), ...patch };
  controller.setAudioSettings(next);
  saveAudioSettings(storage(), next);
}

/** Mute on or off (the M key), saved like the volume. */
export function toggleMute(controller: PlayerController): void {
  changeSound(controller, { muted: !controller.audioSettings().muted });
}

/**
 * Mute, and what keeps the sound from playing (none here, or a gesture awaited): controls for the
 * control bar's row, where each is laid out on its own (a phone puts the notice on a line of its own).
 */
export function SoundControls({ controller }: { controller: PlayerController }) {
  const settings = usePlayer((s) => s.audioSettings);
  const audio = usePlayer((s) => s.audio);
  return (
    <>
      <button type="button" className="mute" aria-pressed={settings.muted} aria-keyshortcuts="m" onClick={() => toggleMute(controller)}>
        <ControlIcon name={settings.muted ? 'muted' : 'sound'} />
        <span className="control-label">Mute</span>
      </button>
      {audio.available === false && (
        <span className="audio-status" role="status">
          No sound: {audio.problem ?? 'this browser cannot play it'}.
        </span>
      )}
      {audio.available !== false && !audio.running && (
        <button type="button" className="audio-start" onClick={() => controller.unlockAudio()}>
          Turn sound on
        </button>
      )}
    </>
  );
}

/** The volume slider (among the control bar's extras: behind "More controls" on a narrow screen). */
export function VolumeControl({ controller }: { controller: PlayerController }) {
  const settings = usePlayer((s) => s.audioSettings);
  const id = useId();
  return (
    <div className="volume">
      <label htmlFor={`${id}-volume`}>Volume</label>
      <input
        autoComplete="off"
        id={`${id}-volume`}
        type="range"
        min={0}
        max={1}
        step={0.05}
        value={settings.volume}
        aria-valuetext={settings.muted ? `${Math.round(settings.volume * 100)}%, muted` : `${Math.round(settings.volume * 100)}%`}
        onChange={(event) => changeSound(controller, { volume: Number(event.currentTarget.value) })}
      />
    </div>
  );
}

/** Applies a context change through the session (remembered) or, embedded without one, directly. */
function chooseContext(controller: PlayerController, session: ViewerSession | undefined, change: ViewerContext): void {
  if (session) session.choose(change);
  else controller.setContext(change);
}

function useContextValue<T>(key: 'dialogueBalance' | 'audioDescription', fallback: T): T {
  return usePlayer((s) => (s.context[key] ?? s.programme?.context[key] ?? fallback) as T);
}

export function DialogueBalanceControl({ controller, session }: { controller: PlayerController; session?: ViewerSession }) {
  const balance = useContextValue<number>('dialogueBalance', 0);
  const id = useId();
  const text = balance <= 0 ? 'Broadcast mix' : balance >= 1 ? 'Clearest dialogue' : `${Math.round(balance * 100)}% towards clearest dialogue`;
  return (
    <div className="viewer-setting">
      <label htmlFor={`${id}-balance`}>Dialogue balance</label>
      <input
        autoComplete="off"
        id={`${id}-balance`}
        type="range"
        min={0}
        max={1}
        step={0.05}
        value={balance}
        aria-describedby={`${id}-balance-ends`}
        aria-valuetext={text}
        onChange={(event) => chooseContext(controller, session, { dialogueBalance: Number(event.currentTarget.value) })}
      />
      <span id={`${id}-balance-ends`} className="viewer-setting-hint">
        From the broadcast mix to the clearest dialogue: quieter music and effects first, dialogue never lowered.
      </span>
    </div>
  );
}

export function AudioDescriptionControl({ controller, session }: { controller: PlayerController; session?: ViewerSession }) {
  const on = useContextValue<boolean>('audioDescription', false);
  const id = useId();
  return (
    <div className="viewer-setting">
      <input autoComplete="off" id={`${id}-description`} type="checkbox" checked={on} onChange={(event) => chooseContext(controller, session, { audioDescription: event.currentTarget.checked })} />
      <label htmlFor={`${id}-description`}>Audio description</label>
    </div>
  );
}
