// Vite, library mode: the embeddable player (`npm run build:lib` → dist-lib/).
//   tessera-player.js        <tessera-player>, everything bundled (React for its shell too): load it
//                            with <script type="module" src=".../tessera-player.js">
//   tessera-player-react.js  <TesseraPlayer>, for React pages: imports the page's own `react`
//   tessera-*.js             chunks both share (the shell loads on demand, as in the app)
//   assets/                  the engine worker and its chunks, the two wasm binaries
//   fonts/                   DejaVu Sans and the caption fonts (src/captions/caption-fonts.ts)
//   types/                   declarations (tsconfig.lib.json)
// Every file is found relative to the module that needs it (import.meta.url), so the folder can be
// served from any path on the page's origin. Library mode would inline assets as data: URLs, which
// would put 2 × 1.1 MB of wasm in base64 into the JS: the wasm `?url` imports are marked
// no-inline, and the fonts are emitted as files the worker fetches.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';

import { CAPTION_FONT_FILES } from './src/captions/caption-fonts';

export const LIBRARY_OUT_DIR = 'dist-lib';
const REACT_ENTRY = path.resolve('src/embed/tessera-player-react.ts');
const REACT_WRAPPER = path.resolve('src/embed/react.tsx');

/**
 * `*.wasm?url` imports stay files (library mode inlines every asset otherwise). The Emscripten
 * glue also names its wasm in a `new URL("….wasm", import.meta.url)` that it never uses (the
 * loader passes locateFile), which Vite would inline as a third copy: it is written so that Vite
 * does not see it, with the same meaning.
 */
function wasmAsFiles(): Plugin {
  return {
    name: 'tessera-lib-wasm-files',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!/\.wasm\?url$/.test(source)) return null;
      return this.resolve(`${source}&no-inline`, importer, { skipSelf: true });
    },
    transform(code, id) {
      if (!id.endsWith('/tessera-engine.mjs')) return null;
      return { code: code.replace(/new URL\(("[\w.-]+\.wasm")\s*,\s*import\.meta\.url\)/g, 'new URL($1 + "", import.meta.url)'), map: null };
    },
  };
}

/** The player's fonts in fonts/, under the names the worker asks for (its fontUrl's folder). */
function libraryFonts(): Plugin {
  return {
    name: 'tessera-lib-fonts',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'fonts/DejaVuSans.ttf', source: readFileSync('public/fonts/DejaVuSans.ttf') });
      this.emitFile({ type: 'asset', fileName: 'fonts/DejaVu-LICENSE.txt', source: readFileSync('public/fonts/DejaVu-LICENSE.txt') });
      for (const font of Object.values(CAPTION_FONT_FILES)) {
        this.emitFile({ type: 'asset', fileName: `fonts/${font.url}`, source: readFileSync(font.file) });
      }
    },
  };
}

/** React is the page's own for the React entry; the element's shell bundles its own copy. */
function isPageReact(id: string, importer: string | undefined): boolean {
  return /^react(-dom)?(\/|$)/.test(id) && (importer === REACT_WRAPPER || importer === REACT_ENTRY);
}

export default defineConfig({
  plugins: [wasmAsFiles(), libraryFonts()],
  base: './',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: { alias: { stream: path.resolve('src/captions/stream-shim.ts') } },
  // The worker is bundled on its own, with its own plugins: its wasm must stay files too.
  worker: { format: 'es', plugins: () => [wasmAsFiles()] },
  // Library mode leaves process.env alone (for the user's bundler); React's files test NODE_ENV,
  // and a page loading tessera-player.js has no `process`: the production build, decided here.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    minify: true,
    outDir: LIBRARY_OUT_DIR,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    lib: {
      entry: {
        'tessera-player': path.resolve('src/embed/tessera-player.ts'),
        'tessera-player-react': REACT_ENTRY,
      },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rolldownOptions: {
      external: (id, importer) => isPageReact(id, importer),
      output: {
        // Vite leaves library ES output unminified (for the user's bundler's tree-shaking); the
        // element is also loaded as it is, by a <script>, so it is minified here.
        minify: true,
        // Chunks beside the entries: the code that finds fonts/ from import.meta.url may land in one.
        chunkFileNames: 'tessera-[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
});
