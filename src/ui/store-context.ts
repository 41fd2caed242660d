// React access to the player store: components read state through usePlayer(selector).
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';

import type { PlayerState, PlayerStore } from '../player/store';

export const PlayerStoreContext = createContext<PlayerStore | null>(null);

export function usePlayer<T>(selector: (state: PlayerState) => T): T {
  const store = useContext(PlayerStoreContext);
  if (!store) throw new Error('usePlayer needs a PlayerStoreContext provider');
  return useStore(store, selector);
}
