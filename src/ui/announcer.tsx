// One polite live region for the player's state changes (play/pause, chapter, choices), so a
// screen reader hears them without losing its place. Components announce through useAnnounce();
// <Announcements /> is the region, placed inside the player area so it stays in full screen.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

type Announce = (message: string) => void;

const AnnounceContext = createContext<{ announce: Announce; said: { text: string; n: number } }>({
  announce: () => {},
  said: { text: '', n: 0 },
});

export function useAnnounce(): Announce {
  return useContext(AnnounceContext).announce;
}

export function Announcer({ children }: { children: ReactNode }) {
  // The counter makes a repeated message a new text node, which screen readers announce again.
  const [said, setSaid] = useState<{ text: string; n: number }>({ text: '', n: 0 });
  const announce = useCallback<Announce>((text) => setSaid((previous) => ({ text, n: previous.n + 1 })), []);
  const value = useMemo(() => ({ announce, said }), [announce, said]);
  return <AnnounceContext.Provider value={value}>{children}</AnnounceContext.Provider>;
}

export function Announcements() {
  const { said } = useContext(AnnounceContext);
  return (
    <div className="visually-hidden" id="player-announcements" role="status" aria-live="polite" aria-atomic="true">
      <span key={said.n}>{said.text}</span>
    </div>
  );
}
