// The React test page: one <TesseraPlayer>, its on* props recording into window.embedTest, and
// setProps for the spec to change its props. The import names the library's source for the type
// checker; e2e/embed.spec.ts builds this page with the BUILT library in its place.
import { useState } from 'react';
import { createRoot } from 'react-dom/client';

import { TesseraPlayer, type TesseraPlayerEventName, type TesseraPlayerProps } from '../../src/embed/tessera-player-react';
import type { EmbedTestPage } from './embed-protocol';

const page: EmbedTestPage = { events: [], violations: [] };
window.embedTest = page;
document.addEventListener('securitypolicyviolation', (event) =>
  page.violations.push(`${event.violatedDirective}: ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber} after ${page.events.length} events`),
);

const record = (type: TesseraPlayerEventName) => (detail: unknown) => page.events.push({ player: 'player', type, detail });

type PageProps = Omit<TesseraPlayerProps, 'ref'>;

function Page() {
  const [props, setProps] = useState<PageProps>({ src: '/fixtures/programmes/compose.json', at: 0.5, paused: true, audio: false });
  page.setProps = (changes) => setProps((current) => ({ ...current, ...(changes as PageProps) }));
  return (
    <main>
      <h1>A React page with a player in it</h1>
      <TesseraPlayer
        id="player"
        {...props}
        onReady={record('ready')}
        onProgramme={record('programme')}
        onTimeUpdate={record('timeupdate')}
        onStateChange={record('statechange')}
        onError={record('error')}
      />
    </main>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('the page has no #root');
createRoot(root).render(<Page />);
