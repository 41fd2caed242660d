// Browser tests that decode and compose video take turns across Playwright's parallel workers:
// the Chromium and Firefox projects run side by side, and two browsers playing video at once on
// a small machine drop frames because of each other, which would make the real-time measurement
// of e2e/playback.spec.ts (c) measure the machine rather than the player. A directory created
// atomically is the lock; a lock older than STALE_MS (a crashed worker) is taken over. The time a
// test waits for the lock is not its own: its timeout is lifted while it waits and then extended
// by the wait (a Firefox real-time test can hold the lock for minutes, with its windows and a hung
// page's 30–90 s, and the test waiting must not time out for it).
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

import { test } from '@playwright/test';

const LOCK_DIR = path.resolve('build/e2e-locks');
const STALE_MS = 180_000;

/** Waits for the named lock; resolves to its release function. */
export async function acquireLock(name: string): Promise<() => void> {
  mkdirSync(LOCK_DIR, { recursive: true });
  const lock = path.join(LOCK_DIR, name);
  const info = test.info();
  const timeout = info.timeout;
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(lock);
      waited.set(info.testId, Date.now() - started);
      if (attempt > 0) info.setTimeout(timeout + (Date.now() - started));
      return () => rmSync(lock, { recursive: true, force: true });
    } catch {
      if (attempt === 0) info.setTimeout(0); // no timeout while waiting (STALE_MS bounds the wait)
      try {
        if (Date.now() - statSync(lock).mtimeMs > STALE_MS) rmSync(lock, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** How long each test waited for a lock (ms), by test id. */
const waited = new Map<string, number>();

/** test.setTimeout for a test that took a lock before (in a beforeEach): `ms` plus the wait. */
export function setTimeoutAfterLock(ms: number): void {
  test.setTimeout(ms + (waited.get(test.info().testId) ?? 0));
}
