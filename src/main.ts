// Entry point of the viewer app, kept small so that it runs as soon as the page has it: starts the
// player at once (the engine worker loads the engine, the font and the programme), then loads the
// React shell, which gives the player its canvas. The shell's code (React) downloads while the
// worker starts.
import { DEMO_PROGRAMME_PATH, launchOptions } from './player/launch';
import { startPlayer } from './player/start';

// ?engine=scalar|simd, ?verify=1, ?programme=<url>&at=<seconds>&paused, ?testcard (src/player/launch.ts).
// Without ?programme the demo programme plays.
const demoUrl = `${import.meta.env.BASE_URL}${DEMO_PROGRAMME_PATH}`;
const { tier, verifyPresentation, programme: asked, problem } = launchOptions(location.search, location.href, demoUrl);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const { store, controller, session, programme } = startPlayer({
  fontUrl: `${import.meta.env.BASE_URL}fonts/DejaVuSans.ttf`,
  tier,
  verifyPresentation,
  programme: asked,
  search: location.search,
  session: window,
  gestureTarget: window,
});
window.tesseraPlayer = controller;
if (session) window.tesseraSession = session;

void import('./ui/mount').then((shell) => shell.mount(root, { store, controller, ...(session ? { session } : {}), programme, problem }));
