// Vite: the viewer app (dev server, build, preview). Every response carries the cross-origin
// isolation headers (COOP/COEP: SharedArrayBuffer for the audio ring later) and the
// Content-Security-Policy, including 304s: WebKit rejects a module worker whose revalidated
// response lacks them (../shared/toolchain.md).
import { defineConfig, type Plugin } from 'vite';

// 'wasm-unsafe-eval' is the only relaxation: the engine is WebAssembly. No inline script or style.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
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

export default defineConfig({
  plugins: [securityHeaders()],
  // React without the refresh plugin: its dev preamble is an inline script, which the CSP forbids.
  oxc: { jsx: { runtime: 'automatic' } },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    assetsInlineLimit: 0,
  },
  server: { headers: SECURITY_HEADERS },
  preview: { headers: SECURITY_HEADERS },
});
