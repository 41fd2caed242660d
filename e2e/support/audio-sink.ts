// An audio output device for real-time Web Audio tests on a machine with none (no /dev/snd).
//
// Findings (Debian 12, Chromium 156, Firefox ESR 153, measured here):
// - Chromium plays to a fake output when there is no device: an AudioContext runs in real time.
// - Firefox ESR with no device never starts an AudioContext: resume() stays pending forever, even
//   after a real click and with autoplay allowed. With a PulseAudio server holding a null sink it
//   runs in real time (the first start takes up to ~2 s).
// - `pulseaudio` (Debian package pulseaudio) runs as root with a warning; started with default
//   paths, clients (the browsers' content processes) find its socket with no environment set.
//
// ensureAudioSink() starts such a server if none answers and the binary is installed. The server
// exits by itself EXIT_IDLE_SECONDS after its last client leaves (browsers keep a connection while
// they run), so concurrent test workers can share it and nobody has to kill it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PULSEAUDIO_PATH = process.env.TESSERA_PULSEAUDIO ?? '/usr/bin/pulseaudio';
const EXIT_IDLE_SECONDS = 30;

export interface AudioSinkStatus {
  /** The server's process when this call started it (the caller may stop it). */
  pid?: number;
  /** A PulseAudio server answers (started here or already running). */
  available: boolean;
  /** This call started it. */
  started: boolean;
  /** Why there is none, for skip messages. */
  reason: string | null;
}

function serverAnswers(): boolean {
  const pactl = spawnSync('pactl', ['info'], { stdio: 'ignore', timeout: 5_000 });
  return pactl.status === 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function ensureAudioSink(exitIdleSeconds = EXIT_IDLE_SECONDS): Promise<AudioSinkStatus> {
  if (spawnSync('pactl', ['--version'], { stdio: 'ignore' }).error) {
    return { available: false, started: false, reason: 'no audio output: pactl is missing (apt-get install pulseaudio pulseaudio-utils)' };
  }
  if (serverAnswers()) return { available: true, started: false, reason: null };
  if (!existsSync(PULSEAUDIO_PATH)) {
    return { available: false, started: false, reason: `no audio output: install PulseAudio (apt-get install pulseaudio pulseaudio-utils) for a null sink; ${PULSEAUDIO_PATH} is missing` };
  }
  // Another worker may be starting one at the same moment: the loser's daemon exits (socket taken).
  const child = spawn(
    PULSEAUDIO_PATH,
    ['-n', '--daemonize=no', `--exit-idle-time=${exitIdleSeconds}`, '--use-pid-file=no', '-L', 'module-null-sink rate=48000', '-L', 'module-native-protocol-unix'],
    { detached: true, stdio: 'ignore' },
  );
  child.unref();
  for (let i = 0; i < 50; i++) {
    await sleep(100);
    if (serverAnswers()) return { available: true, started: true, reason: null, ...(child.pid ? { pid: child.pid } : {}) };
  }
  return { available: false, started: false, reason: 'PulseAudio did not start within 5 s' };
}
