// How tests and benchmarks launch Debian's Chromium: headless, and with the networking flags that
// keep it off the network (nothing but localhost is reachable at test time).
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
