// Builds and serves the embedding test site for e2e/embed.spec.ts, in Node:
//   <out>/lib   the library, built by vite.lib.config.ts (what `npm run build:lib` makes)
//   <out>/site  embed-react.html bundled by the app's Vite config with the built library's
//               tessera-player-react.js standing in for its source (a React site's build), then
//               the built library copied to /tessera/ (both pages load the element from there),
//               and embed-element.html (+ its script) copied unbundled (a plain site)
// served by `vite preview` with the app's config: its headers (the CSP) and /fixtures/.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

export interface EmbedSite {
  url: string;
  close(): Promise<void>;
}

const PAGES = 'e2e/pages';
/** The React page's import of the library's source, replaced by the built file. */
const REACT_SOURCE = /^(\.\.\/)+src\/embed\/tessera-player-react$/;

export async function buildEmbedSite(out: string): Promise<void> {
  const { build } = await import('vite');
  const lib = path.join(out, 'lib');
  const site = path.join(out, 'site');
  rmSync(out, { recursive: true, force: true });
  await build({ configFile: 'vite.lib.config.ts', logLevel: 'warn', build: { outDir: lib, emptyOutDir: true } });
  await build({
    configFile: 'vite.config.ts',
    logLevel: 'warn',
    resolve: { alias: [{ find: REACT_SOURCE, replacement: path.resolve(lib, 'tessera-player-react.js') }] },
    build: { outDir: site, emptyOutDir: true, rolldownOptions: { input: { react: path.resolve(PAGES, 'embed-react.html') } } },
  });
  cpSync(lib, path.join(site, 'tessera'), { recursive: true });
  mkdirSync(path.join(site, PAGES), { recursive: true });
  for (const file of ['embed-element.html', 'embed-element-page.js']) cpSync(path.join(PAGES, file), path.join(site, PAGES, file));
}

export async function serveEmbedSite(out: string): Promise<EmbedSite> {
  const { preview } = await import('vite');
  const server = await preview({
    configFile: 'vite.config.ts',
    logLevel: 'warn',
    build: { outDir: path.join(out, 'site') },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report its address');
  return { url: url.replace(/\/$/, ''), close: () => new Promise<void>((resolve) => server.httpServer.close(() => resolve())) };
}
