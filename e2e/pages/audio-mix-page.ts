// The offline mix in the browser: the same procedure as the Node test (src/engine/offline-mix.ts)
// on the same fixture; the hash goes to body[data-sha256] for the spec to compare with golden.json.
import { loadEngineBrowser } from '../../src/engine/load-browser';
import { offlineMix } from '../../src/engine/offline-mix';

const PROGRAMME = '/fixtures/programmes/audio-pcm.json';
const status = document.getElementById('status')!;

async function run(): Promise<void> {
  const tier = new URLSearchParams(location.search).get('engine') === 'scalar' ? 'scalar' : 'simd';
  const engine = await loadEngineBrowser({ tier });
  try {
    const programmeUrl = new URL(PROGRAMME, location.href);
    const response = await fetch(programmeUrl);
    if (!response.ok) throw new Error(`${PROGRAMME}: HTTP ${response.status}`);
    const mix = await offlineMix(engine, await response.text(), (src) => new URL(src, programmeUrl).href);
    document.body.dataset.frames = String(mix.frames);
    document.body.dataset.tier = engine.tier;
    document.body.dataset.sha256 = mix.sha256;
    status.textContent = `${mix.frames} frames, SHA-256 ${mix.sha256}`;
  } finally {
    engine.dispose();
  }
}

run().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  document.body.dataset.error = message;
  status.textContent = message;
});
