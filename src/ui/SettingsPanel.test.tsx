// @vitest-environment jsdom
// The settings panel on the demo programme's variables: which control each gets, their labels and
// groups, and that a change goes to the player (and to the remembered preferences).
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { declaredContextVariables } from '../player/context-variables';
import type { PlayerController } from '../player/controller';
import { loadPreferences, type PreferenceStorage } from '../player/preferences';
import type { ProgrammeInfo, ViewerContext } from '../player/protocol';
import { createPlayerStore, type PlayerStore } from '../player/store';
import { launchContext, ViewerSession } from '../player/viewer-session';
import { SettingsPanel } from './SettingsPanel';
import { PlayerStoreContext } from './store-context';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const demo = JSON.parse(readFileSync(path.resolve('public/demo/programme.json'), 'utf8')) as unknown;

/** Stands in for the player: records the context changes it is given, as the real one merges them. */
function fakeController(store: PlayerStore) {
  const sent: ViewerContext[] = [];
  const controller = {
    setContext(change: ViewerContext) {
      sent.push(change);
      store.setState((s) => ({ context: { ...s.context, ...change } }));
    },
    setCaptionSettings() {},
  };
  return { controller: controller as unknown as PlayerController, sent };
}

function fakeStorage(): PreferenceStorage {
  const items = new Map<string, string>();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
}

const programme: ProgrammeInfo = {
  url: 'http://localhost/demo/programme.json',
  title: 'Demo',
  duration: 180,
  width: 1280,
  height: 720,
  scenes: [],
  captionLanguages: ['cy', 'en'],
  variables: declaredContextVariables(demo),
  context: { orientation: 'landscape', language: 'en', captions: false, signLanguage: false, audioDescription: false, dialogueBalance: 0, timeAvailable: 0, timeOfDay: 12 },
};

describe('SettingsPanel', () => {
  let host: HTMLDivElement;
  let root: Root;
  let store: PlayerStore;
  let sent: ViewerContext[];
  let storage: PreferenceStorage;
  let session: ViewerSession;

  beforeEach(() => {
    host = document.createElement('div');
    document.body.appendChild(host);
    store = createPlayerStore();
    const fake = fakeController(store);
    sent = fake.sent;
    storage = fakeStorage();
    const request = { url: '/demo/programme.json', at: 0, paused: true };
    const launch = launchContext(storage, '', request, { width: 1280, height: 720 });
    session = new ViewerSession({ controller: fake.controller, store, storage, programme: request, launch, viewport: () => ({ width: 1280, height: 720 }) });
    store.setState({ programme, context: launch.context });
    root = createRoot(host);
    act(() =>
      root.render(
        <PlayerStoreContext.Provider value={store}>
          <SettingsPanel session={session} />
        </PlayerStoreContext.Provider>,
      ),
    );
  });

  afterEach(() => {
    act(() => root.unmount());
    session.dispose();
    host.remove();
  });

  const control = (label: string): HTMLElement => {
    const labelElement = [...host.querySelectorAll('label')].find((l) => l.textContent === label);
    const element = labelElement ? document.getElementById(labelElement.htmlFor) : null;
    if (!element) throw new Error(`no control labelled ${label}`);
    return element;
  };
  const options = (label: string) => [...(control(label) as HTMLSelectElement).options].map((o) => [o.value, o.textContent]);
  const choose = (label: string, value: string) =>
    act(() => {
      const select = control(label) as HTMLSelectElement;
      select.value = value;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });

  it('gives each declared variable a labelled control of the right kind, in two groups', () => {
    const groups = [...host.querySelectorAll('fieldset')].map((f) => [f.querySelector('legend')?.textContent, [...f.querySelectorAll('label')].map((l) => l.textContent)]);
    expect(groups).toEqual([
      ['Programme', ['Layout', 'Language', 'Time available', 'Time of day']],
      ['Accessibility', ['Sign language', 'Audio description', 'Dialogue balance']],
    ]);
    expect(options('Language')).toEqual([
      ['en', 'English'],
      ['cy', 'Cymraeg (Welsh)'],
    ]);
    expect(options('Time available')).toEqual([
      ['0', 'Full programme'],
      ['60', '1 minute'],
      ['120', '2 minutes'],
      ['180', '3 minutes'],
    ]);
    expect(options('Layout')).toEqual([
      ['', 'Automatic (follows the screen)'],
      ['landscape', 'Landscape'],
      ['portrait', 'Portrait'],
      ['square', 'Square'],
    ]);
    expect(control('Sign language').getAttribute('role')).toBe('switch');
    expect(control('Dialogue balance').getAttribute('type')).toBe('range');
    expect(control('Dialogue balance').getAttribute('aria-valuetext')).toBe('Broadcast mix');
    expect(control('Time of day').getAttribute('aria-valuetext')).toBe('12:00');
    // The programme's description of a variable is the control's description.
    expect(document.getElementById(control('Language').getAttribute('aria-describedby')!)?.textContent).toBe(
      'Narration, on-screen text and default caption language',
    );
  });

  it('applies a change at once and remembers preferences (not the time available)', () => {
    choose('Language', 'cy');
    expect(sent.at(-1)).toEqual({ language: 'cy', captionsLanguage: 'cy' }); // the caption language follows
    act(() => (control('Sign language') as HTMLInputElement).click());
    expect(sent.at(-1)).toEqual({ signLanguage: true });
    choose('Time available', '60');
    expect(sent.at(-1)).toEqual({ timeAvailable: 60 });
    expect((control('Time available') as HTMLSelectElement).value).toBe('60');
    expect(loadPreferences(storage).context).toEqual({ language: 'cy', captionsLanguage: 'cy', signLanguage: true });
  });

  it('lets the viewer pick a layout, and go back to following the screen', () => {
    choose('Layout', 'portrait');
    expect(sent.at(-1)).toEqual({ orientation: 'portrait' });
    expect(session.state.getState().layout).toBe('portrait');
    expect(loadPreferences(storage).context.orientation).toBe('portrait');
    choose('Layout', '');
    expect(sent.at(-1)).toEqual({ orientation: 'landscape' }); // the 1280×720 window's
    expect(session.state.getState().layout).toBeNull();
    expect(loadPreferences(storage).context).not.toHaveProperty('orientation');
  });
});
