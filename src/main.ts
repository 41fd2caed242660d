// Entry point of the viewer app, kept small so that it runs as soon as the page has it: starts the
// player at once (the engine worker loads the engine, the font and the programme), then loads the
// React shell, which gives the player its canvas. The shell's code (React) downloads while the
// worker starts.
import { launchOptions } from './player/launch';
import { startPlayer } from './player/start';

// ?engine=scalar|simd, ?verify=1, ?programme=<url>&at=<seconds>&paused (src/player/launch.ts).
const { tier, verifyPresentation, programme, problem } = launchOptions(location.search, location.href);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const { store, controller } = startPlayer({
  fontUrl: `${import.meta.env.BASE_URL}fonts/DejaVuSans.ttf`,
  tier,
  verifyPresentation,
  programme,
});
window.tesseraPlayer = controller;

void import('./ui/mount').then((shell) => shell.mount(root, { store, controller, programme, problem }));
