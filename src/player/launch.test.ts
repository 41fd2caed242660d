// The page address → what the player does (?engine, ?verify, ?programme, ?at, ?paused).
import { describe, expect, it } from 'vitest';

import { launchOptions } from './launch';

const page = 'https://tessera.test/';

describe('launchOptions', () => {
  it('plays the demo programme when the address names none, honouring at and paused', () => {
    expect(launchOptions('', page, '/demo/programme.json').programme).toEqual({ url: '/demo/programme.json', at: 0, paused: false });
    expect(launchOptions('?at=118&paused', `${page}app/`, '/app/demo/programme.json').programme).toEqual({
      url: '/app/demo/programme.json',
      at: 118,
      paused: true,
    });
    expect(launchOptions('?programme=/p.json', page, '/demo/programme.json').programme?.url).toBe('/p.json');
  });

  it('shows the test card with ?testcard, even with a demo to play', () => {
    expect(launchOptions('?testcard', page, '/demo/programme.json')).toEqual({ tier: 'auto', verifyPresentation: false, programme: null, problem: null });
    expect(launchOptions('?testcard&verify=1&engine=scalar', page, '/demo/programme.json')).toMatchObject({ tier: 'scalar', verifyPresentation: true, programme: null });
  });

  it('shows the test card when there is no demo and no programme', () => {
    expect(launchOptions('', page)).toEqual({ tier: 'auto', verifyPresentation: false, programme: null, problem: null });
    expect(launchOptions('?engine=scalar&verify=1', page)).toMatchObject({ tier: 'scalar', verifyPresentation: true, programme: null });
  });

  it('plays a same-origin programme, from a time, paused if asked', () => {
    expect(launchOptions('?programme=/fixtures/programmes/compose.json', page).programme).toEqual({
      url: '/fixtures/programmes/compose.json',
      at: 0,
      paused: false,
    });
    expect(launchOptions('?programme=fixtures/p.json&at=3.25&paused', `${page}app/`).programme).toEqual({
      url: '/app/fixtures/p.json',
      at: 3.25,
      paused: true,
    });
  });

  it('refuses other sites and bad times, keeping the test card', () => {
    const other = launchOptions('?programme=https://elsewhere.test/p.json', page);
    expect(other.programme).toBeNull();
    expect(other.problem).toMatch(/must be on this site/);
    expect(launchOptions('?programme=//elsewhere.test/p.json', page).programme).toBeNull();
    expect(launchOptions('?programme=/p.json&at=-1', page).problem).toMatch(/not a time/);
    expect(launchOptions('?programme=/p.json&at=soon', page).problem).toMatch(/not a time/);
  });
});
