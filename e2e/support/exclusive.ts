// Browser tests that decode and compose video take turns across Playwright's parallel workers:
// the Chromium and Firefox projects run side by side, and two browsers playing video at once on
// a small machine drop frames because of each other, which would make the real-time measurement
// of e2e/playback.spec.ts (c) measure the machine rather than the player. A directory created
// atomically is the lock; a lock older than STALE_MS (a crashed worker) is taken over.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

const LOCK_DIR = path.resolve('build/e2e-locks');
const STALE_MS = 180_000;

/** Waits for the named lock; resolves to its release function. */
export async function acquireLock(name: string): Promise<() => void> {
  mkdirSync(LOCK_DIR, { recursive: true });
  const lock = path.join(LOCK_DIR, name);
  for (;;) {
    try {
      mkdirSync(lock);
      return () => rmSync(lock, { recursive: true, force: true });
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > STALE_MS) rmSync(lock, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
