// Records what the page's <tessera-player> elements report, for e2e/embed.spec.ts (the shape is
// EmbedTestPage in embed-protocol.ts). Plain JavaScript: the page is served as it is, without a
// bundler. Listens in the capture phase on the document, so it hears every player's events
// (they do not bubble), including players the test adds later. Runs before the library does.
const events = [];
for (const type of ['ready', 'programme', 'timeupdate', 'statechange', 'error']) {
  document.addEventListener(
    type,
    (event) => {
      const target = event.target;
      if (!(target instanceof HTMLElement) || target.localName !== 'tessera-player') return;
      events.push({ player: target.id, type, detail: event.detail });
    },
    true,
  );
}
const violations = [];
document.addEventListener('securitypolicyviolation', (event) =>
  violations.push(`${event.violatedDirective}: ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber} after ${events.length} events`),
);
window.embedTest = { events, violations };
