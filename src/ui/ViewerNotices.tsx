// Plain-language notices for the viewer about their settings: address presets the programme could
// not use (the rest of the address still applied). Each can be dismissed.
import { useStore } from 'zustand';

import type { ViewerSession } from '../player/viewer-session';

export function ViewerNotices({ session }: { session: ViewerSession }) {
  const notices = useStore(session.state, (s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <section className="viewer-notices" aria-label="Notices" role="status">
      <ul>
        {notices.map((text, index) => (
          <li key={`${index}-${text}`}>
            <span>{text}</span>{' '}
            <button type="button" onClick={() => session.dismissNotice(index)} aria-label={`Dismiss: ${text}`}>
              Dismiss
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
