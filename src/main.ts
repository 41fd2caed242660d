// Entry point of the viewer app, kept small so that it runs as soon as the page has it: starts the
// player at once (the engine worker loads the engine, the font and the programme), then loads the
// React shell, which gives the player its canvas. The shell's code (React) downloads while the
// worker starts.
import { loadAudioSettings } from './player/audio-settings';
import { PlayerController } from './player/controller';
import { DEMO_PROGRAMME_PATH, launchOptions } from './player/launch';
import { createPlayerStore } from './player/store';
import { launchContext, ViewerSession } from './player/viewer-session';

/** The frame size until a programme sets its own (the test card's). */
const INITIAL_FRAME = { width: 1280, height: 720 };

// ?engine=scalar|simd, ?verify=1, ?programme=<url>&at=<seconds>&paused, ?testcard (src/player/launch.ts).
// Without ?programme the demo programme plays.
const demoUrl = `${import.meta.env.BASE_URL}${DEMO_PROGRAMME_PATH}`;
const { tier, verifyPresentation, programme: asked, problem } = launchOptions(location.search, location.href, demoUrl);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const store = createPlayerStore();
let storage: Storage | null = null;
try {
  storage = window.localStorage;
} catch {
  // denied by the browser's privacy settings: the defaults, and nothing remembered
}
const viewport = () => ({ width: window.innerWidth, height: window.innerHeight });
// Stored preferences, the viewing being resumed, the address's presets (?lang=cy&duration=60…,
// src/player/url-presets.ts) and the screen's orientation: the first plan is resolved with them.
const launch = launchContext(storage, location.search, asked, viewport());
const programme = launch.programme;
const audioParam = new URLSearchParams(location.search).get('audio');
const controller = new PlayerController(store, {
  fontUrl: `${import.meta.env.BASE_URL}fonts/DejaVuSans.ttf`,
  ...INITIAL_FRAME,
  tier,
  verifyPresentation,
  ...(programme ? { programme } : {}),
  captionSettings: launch.captionSettings,
  context: launch.context,
  audioSettings: loadAudioSettings(storage),
  // ?audio=port forces the audio queue's MessagePort fallback (tests); ?audio=off makes no output.
  audio: audioParam !== 'off',
  audioTransport: audioParam === 'port' ? 'port' : 'auto',
});
window.tesseraPlayer = controller;
const session = new ViewerSession({ controller, store, storage, programme, launch, viewport });
session.followScreen(window);
session.rememberPosition(window);
window.tesseraSession = session;

// The AudioContext may only start from a user gesture: Play (controller.play) or, here, the first
// key or pointer press makes and resumes it (the picture plays silently on its own clock until then).
const unlock = () => {
  controller.unlockAudio();
  if (store.getState().audio.running || store.getState().audio.available === false) {
    window.removeEventListener('keydown', unlock, true);
    window.removeEventListener('pointerdown', unlock, true);
  }
};
window.addEventListener('keydown', unlock, true);
window.addEventListener('pointerdown', unlock, true);

void import('./ui/mount').then((shell) => shell.mount(root, { store, controller, session, programme, problem }));
