// Vite: the viewer app (dev server, build, preview). Every response carries the cross-origin
// isolation headers (COOP/COEP: SharedArrayBuffer for the audio ring later) and the
// Content-Security-Policy, including 304s: WebKit rejects a module worker whose revalidated
// response lacks them (../shared/toolchain.md). Both servers also serve the test fixtures at their
// repository paths (fixtures/, and the fonts in public/fonts/ that fixture programmes name), so
// `?programme=/fixtures/programmes/compose.json` plays in `npm start` and in the preview build.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';

import { CAPTION_FONT_FILES } from './src/captions/caption-fonts';

// 'wasm-unsafe-eval' is the only relaxation: the engine is WebAssembly. No inline script or style.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "media-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

function securityHeaders(): Plugin {
  const install = (server: { middlewares: { use: (fn: (req: unknown, res: { setHeader(k: string, v: string): void }, next: () => void) => void) => void } }) => {
    server.middlewares.use((_req, res, next) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
      next();
    });
  };
  return {
    name: 'tessera-security-headers',
    configureServer: install,
    configurePreviewServer: install,
  };
}

// Repository folders served as they are, by URL prefix. Never part of the build.
const REPOSITORY_FOLDERS = ['/fixtures/', '/public/fonts/'];
const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.webm': 'video/webm',
  '.mp4': 'video/mp4',
  '.wav': 'audio/wav',
  '.ttf': 'font/ttf',
  '.png': 'image/png',
  '.vtt': 'text/vtt',
  '.ttml': 'application/ttml+xml',
};

interface FixtureRequest {
  url?: string;
  method?: string;
  headers: Record<string, string | string[] | undefined>;
}
interface FixtureResponse {
  statusCode: number;
  setHeader(name: string, value: string | number): void;
  end(body?: string): void;
}

/**
 * Serves REPOSITORY_FOLDERS from disk with real 404s (the servers' SPA fallback would answer a
 * missing file with index.html) and single byte ranges (Mediabunny reads media with them).
 */
function repositoryFixtures(): Plugin {
  const root = process.cwd();
  const serve = (req: FixtureRequest, res: FixtureResponse, next: () => void) => {
    const pathname = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
    if (!REPOSITORY_FOLDERS.some((prefix) => pathname.startsWith(prefix))) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const file = path.resolve(root, `.${pathname}`);
    const allowed = REPOSITORY_FOLDERS.some((prefix) => file.startsWith(path.resolve(root, `.${prefix}`) + path.sep));
    let size = -1;
    try {
      const stat = statSync(file);
      if (stat.isFile()) size = stat.size;
    } catch {
      // missing: answered below
    }
    if (!allowed || size < 0) {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      return res.end(`not found: ${pathname}`);
    }
    res.setHeader('Content-Type', CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream');
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Cache-Control', 'no-cache');
    let start = 0;
    let end = size - 1;
    const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ''));
    if (range && (range[1] || range[2])) {
      if (range[1]) {
        start = Number(range[1]);
        if (range[2]) end = Math.min(Number(range[2]), size - 1);
      } else {
        start = Math.max(0, size - Number(range[2])); // suffix range: the last N bytes
      }
      if (start > end) {
        res.statusCode = 416;
        res.setHeader('Content-Range', `bytes */${size}`);
        return res.end();
      }
      res.statusCode = 206;
      res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
    } else {
      res.statusCode = 200;
    }
    res.setHeader('Content-Length', end - start + 1);
    if (req.method === 'HEAD' || size === 0) return res.end();
    createReadStream(file, { start, end }).pipe(res as unknown as NodeJS.WritableStream);
  };
  return {
    name: 'tessera-repository-fixtures',
    configureServer: (server) => void server.middlewares.use(serve),
    configurePreviewServer: (server) => void server.middlewares.use(serve),
  };
}

// Caption fonts beyond public/fonts/DejaVuSans.ttf, from Debian packages that scripts/setup.sh
// installs: the serif and monospaced families (fonts-dejavu-core) and the CJK fallback
// (fonts-droid-fallback), as src/captions/caption-fonts.ts lists them. Served under /fonts/ by both servers
// and copied into the build there, rather than kept in the repository.
const CAPTION_FONTS: Record<string, string> = Object.fromEntries(Object.values(CAPTION_FONT_FILES).map((font) => [font.url, font.file]));

function captionFonts(): Plugin {
  const prefix = '/fonts/';
  const serve = (req: FixtureRequest, res: FixtureResponse, next: () => void) => {
    const pathname = (req.url ?? '').split('?')[0] ?? '';
    if (!pathname.startsWith(prefix)) return next();
    const file = CAPTION_FONTS[pathname.slice(prefix.length)];
    if (!file) return next(); // public/fonts/ is served by Vite itself
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      res.statusCode = 404;
      return res.end();
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', 'font/ttf');
    res.setHeader('Content-Length', size);
    res.setHeader('Cache-Control', 'no-cache');
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res as unknown as NodeJS.WritableStream);
  };
  return {
    name: 'tessera-caption-fonts',
    configureServer: (server) => void server.middlewares.use(serve),
    configurePreviewServer: (server) => void server.middlewares.use(serve),
    generateBundle() {
      for (const [url, file] of Object.entries(CAPTION_FONTS)) {
        this.emitFile({ type: 'asset', fileName: `fonts/${url}`, source: readFileSync(file) });
      }
    },
  };
}

export default defineConfig({
  plugins: [securityHeaders(), repositoryFixtures(), captionFonts()],
  // React without the refresh plugin: its dev preamble is an inline script, which the CSP forbids.
  oxc: { jsx: { runtime: 'automatic' } },
  // sax (imsc's XML parser, loaded in the worker for TTML captions) requires Node's `stream`.
  resolve: { alias: { stream: path.resolve('src/captions/stream-shim.ts') } },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    assetsInlineLimit: 0,
  },
  server: { headers: SECURITY_HEADERS },
  preview: { headers: SECURITY_HEADERS },
});
