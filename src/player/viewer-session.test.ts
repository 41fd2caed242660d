// The context a visit starts with: preferences, then the resumed viewing, then the address, then
// the screen's orientation.
import { describe, expect, it } from 'vitest';

import type { PlayerController } from './controller';
import { loadResumePoint, PREFERENCES_KEY, saveResumePoint, type PreferenceStorage } from './preferences';
import type { ContextVariable, PlaybackStats, ProgrammeInfo, ViewerContext } from './protocol';
import { createPlayerStore } from './store';
import { launchContext, viewportOrientation, ViewerSession } from './viewer-session';

function fakeStorage(initial: Record<string, string> = {}): PreferenceStorage {
  const items = new Map(Object.entries(initial));
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
}

const PROGRAMME = { url: '/demo/programme.json', at: 0, paused: false };
const LANDSCAPE = { width: 1280, height: 720 };

describe('launchContext', () => {
  it('takes the orientation from the screen unless it was set', () => {
    expect(viewportOrientation(390, 844)).toBe('portrait');
    expect(viewportOrientation(844, 390)).toBe('landscape');
    expect(viewportOrientation(500, 500)).toBe('landscape');
    expect(launchContext(null, '', PROGRAMME, { width: 390, height: 844 }).context).toEqual({ orientation: 'portrait' });
    expect(launchContext(null, '?orientation=landscape', PROGRAMME, { width: 390, height: 844 }).context).toEqual({ orientation: 'landscape' });
  });

  it('layers preferences, the resumed viewing and the address (the address wins)', () => {
    const storage = fakeStorage({
      [PREFERENCES_KEY]: JSON.stringify({ version: 1, context: { language: 'cy', signLanguage: true, orientation: 'portrait' } }),
    });
    saveResumePoint(storage, PROGRAMME.url, { position: 42, choices: { access: 'audio' }, context: { timeAvailable: 120 } }, 1);
    const launch = launchContext(storage, '?programme=/demo/programme.json&lang=en&duration=60', PROGRAMME, LANDSCAPE);
    expect(launch.context).toEqual({
      language: 'en',
      captionsLanguage: 'en',
      signLanguage: true,
      orientation: 'portrait',
      timeAvailable: 60,
      choices: { access: 'audio' },
    });
    expect(launch.base).toMatchObject({ language: 'cy', timeAvailable: 120 });
    expect(launch.programme).toEqual({ ...PROGRAMME, at: 42 });
    expect(launch.resumed?.position).toBe(42);
  });

  it('does not resume when the address names a time, or for another programme', () => {
    const storage = fakeStorage();
    saveResumePoint(storage, PROGRAMME.url, { position: 42, choices: { access: 'audio' } }, 1);
    const timed = launchContext(storage, '?at=5', { ...PROGRAMME, at: 5 }, LANDSCAPE);
    expect(timed.programme?.at).toBe(5);
    expect(timed.context.choices).toBeUndefined();
    expect(launchContext(storage, '', { ...PROGRAMME, url: '/other.json' }, LANDSCAPE).resumed).toBeNull();
    expect(launchContext(storage, '', null, LANDSCAPE).programme).toBeNull();
  });
});

describe('ViewerSession', () => {
  const variables: ContextVariable[] = [
    { name: 'orientation', key: 'orientation', type: 'string', values: ['landscape', 'portrait'] },
    { name: 'language', key: 'language', type: 'string', values: ['en', 'cy'], default: 'en' },
    { name: 'signLanguage', key: 'signLanguage', type: 'boolean', default: false },
  ];
  const programme: ProgrammeInfo = {
    url: 'http://localhost/demo/programme.json', title: 'Demo', duration: 180, width: 1280, height: 720, scenes: [],
    captionLanguages: ['cy', 'en'], variables, context: { language: 'en', signLanguage: false, orientation: 'landscape' },
  };
  const playing = (time: number): PlaybackStats => ({
    state: 'playing', time, duration: 180, rate: 1, presented: 10, late: 0, dropped: 0, decodeQueue: 0, readers: 1,
    composeMs: 1, composeMedianMs: 1, cadence: 'animation-frame', videoFrames: { opened: 0, closed: 0, open: 0 }, firstFrameEpochMs: 1,
  });

  function start(search: string, storage: PreferenceStorage) {
    const store = createPlayerStore();
    const sent: ViewerContext[] = [];
    const controller = { setContext: (change: ViewerContext) => void sent.push(change) } as unknown as PlayerController;
    const launch = launchContext(storage, search, PROGRAMME, LANDSCAPE);
    const session = new ViewerSession({ controller, store, storage, programme: PROGRAMME, launch, viewport: () => LANDSCAPE });
    store.setState({ context: launch.context });
    return { store, sent, session, launch };
  }

  it('checks the address once the programme is known: a refused value falls back to the preference, with a notice', () => {
    const storage = fakeStorage({ [PREFERENCES_KEY]: JSON.stringify({ version: 1, context: { language: 'cy' } }) });
    const { store, sent, session, launch } = start('?lang=fr&sign=on&balance=9', storage);
    expect(launch.context).toMatchObject({ language: 'fr', signLanguage: true });
    expect(session.state.getState().notices).toEqual(["The address's balance=9 was not used: balance expects a number from 0 to 1."]);
    store.setState({ programme });
    expect(sent).toEqual([{ language: 'cy', captionsLanguage: undefined }]);
    expect(session.state.getState().notices[1]).toBe("The address's lang=fr was not used: lang expects one of en, cy.");
    store.setState({ programme: { ...programme, duration: 60 } }); // checked once only
    expect(sent).toHaveLength(1);
  });

  it('saves the resume point with the choices and the viewing\'s own values, and forgets it near the end', () => {
    const storage = fakeStorage();
    const { store, session } = start('', storage);
    store.setState({ programme, playback: playing(42), context: { language: 'cy', timeAvailable: 120, choices: { access: 'audio' } } });
    session.saveResumePoint();
    expect(loadResumePoint(storage, PROGRAMME.url)).toEqual({ position: 42, choices: { access: 'audio' }, context: { timeAvailable: 120 } });
    store.setState({ playback: playing(178) });
    session.saveResumePoint();
    expect(loadResumePoint(storage, PROGRAMME.url)).toBeNull();
  });
});
