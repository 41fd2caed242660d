// One polite live region for the player's state changes (play/pause, chapter, choices), so a
// screen reader hears them without losing its place. Components announce through useAnnounce().
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

type Announce = (message: string) => void;

const AnnounceContext = createContext<Announce>(() => {});

export function useAnnounce(): Announce {
  return useContext(AnnounceContext);
}

export function Announcer({ children }: { children: ReactNode }) {
  // The counter makes a repeated message a new text node, which screen readers announce again.
  const [said, setSaid] = useState<{ text: string; n: number }>({ text: '', n: 0 });
  const announce = useCallback<Announce>((text) => setSaid((previous) => ({ text, n: previous.n + 1 })), []);
  return (
    <AnnounceContext.Provider value={announce}>
      {children}
      <div className="visually-hidden" id="player-announcements" role="status" aria-live="polite" aria-atomic="true">
        <span key={said.n}>{said.text}</span>
      </div>
    </AnnounceContext.Provider>
  );
}
