// Before any test: an audio sink for the whole run. Every page of the app that plays makes an
// AudioContext on its first Play click, and Firefox with no audio server blocks its content
// process for ~10 s (main thread and workers alike) while its audio backend gives up connecting
// (measured: a 10,018 ms stall 5 s after the click). With the sink that stall is gone, though
// Firefox still freezes pages at times while they play, sound or not (e2e/support/freezes.ts).
// A server exits when idle (EXIT_IDLE_SECONDS after its last client), so a
// `pactl subscribe` stays connected as a client until the run ends.
import { spawn } from 'node:child_process';

import { ensureAudioSink } from './audio-sink';

export default async function globalSetup(): Promise<() => void> {
  const sink = await ensureAudioSink(3600);
  if (!sink.available) {
    console.warn(`e2e: ${sink.reason ?? 'no audio sink'} — Firefox tests that press Play will stall`);
    return () => {};
  }
  const client = spawn('pactl', ['subscribe'], { stdio: 'ignore' });
  client.on('error', () => {}); // pactl is there (ensureAudioSink checked); a failure only loses the keep-alive
  return () => {
    client.kill();
    if (sink.pid) {
      try {
        process.kill(sink.pid);
      } catch {
        // already gone
      }
    }
  };
}
