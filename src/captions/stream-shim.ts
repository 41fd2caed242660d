// A stand-in for Node's `stream` module in browser bundles. sax (imsc's XML parser) runs
// `require('stream').Stream` at load time only to offer a streaming API Tessera never uses; under
// Vite that require yields an empty stub and sax then fails reading 'prototype'. vite.config.ts
// aliases `stream` to this file: resolve: { alias: { stream: '/src/captions/stream-shim.ts' } }.
export function Stream(): void {}
export default { Stream };
