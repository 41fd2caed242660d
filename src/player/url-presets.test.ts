// Context presets in the address: read at launch by the keys' types, then checked against the
// programme's declarations (the demo's, below).
import { describe, expect, it } from 'vitest';

import type { ContextVariable } from './protocol';
import { checkUrlPresets, readUrlPresets } from './url-presets';

const DEMO_VARIABLES: ContextVariable[] = [
  { name: 'orientation', key: 'orientation', type: 'string', values: ['landscape', 'portrait', 'square'], default: 'landscape' },
  { name: 'language', key: 'language', type: 'string', values: ['en', 'cy'], default: 'en' },
  { name: 'captions', key: 'captions', type: 'boolean', default: false },
  { name: 'signLanguage', key: 'signLanguage', type: 'boolean', default: false },
  { name: 'audioDescription', key: 'audioDescription', type: 'boolean', default: false },
  { name: 'dialogueBalance', key: 'dialogueBalance', type: 'number', min: 0, max: 1, default: 0 },
  { name: 'timeAvailable', key: 'timeAvailable', type: 'number', min: 0, default: 0 },
  { name: 'timeOfDay', key: 'timeOfDay', type: 'number', min: 0, max: 24, default: 12 },
  { name: 'mood', key: 'viewerMood', type: 'string', values: ['calm', 'lively'] },
];

describe('readUrlPresets', () => {
  it('reads the short aliases by their types', () => {
    const read = readUrlPresets('?programme=/demo/programme.json&lang=cy&captions=on&duration=60&sign=off&ad=1&balance=0.25&orientation=portrait&timeOfDay=20');
    expect(read.problems).toEqual([]);
    expect(read.context).toEqual({
      language: 'cy',
      captionsLanguage: 'cy',
      captions: true,
      timeAvailable: 60,
      signLanguage: false,
      audioDescription: true,
      dialogueBalance: 0.25,
      orientation: 'portrait',
      timeOfDay: 20,
    });
  });

  it('reads ctx.<name> for any variable, typed by the key when the format defines it', () => {
    const read = readUrlPresets('?ctx.signLanguage=true&ctx.timeAvailable=120&ctx.mood=calm&ctx.level=3');
    expect(read.context).toEqual({ signLanguage: true, timeAvailable: 120, mood: 'calm', level: 3 });
    expect(read.presets.find((p) => p.param === 'ctx.mood')).toMatchObject({ key: 'mood', variable: 'mood', text: 'calm' });
  });

  it('names each unreadable parameter, and still applies the rest', () => {
    const read = readUrlPresets('?captions=maybe&balance=2&duration=-5&lang=<b>&sign=on&ctx.captions=perhaps&ctx.choices=x');
    expect(read.context).toEqual({ signLanguage: true });
    expect(read.problems).toHaveLength(6);
    expect(read.problems[0]).toBe("The address's captions=maybe was not used: captions expects on or off.");
    expect(read.problems[1]).toContain('balance=2');
    expect(read.problems[1]).toContain('a number from 0 to 1');
    expect(read.problems[2]).toContain('duration=-5');
    expect(read.problems.join(' ')).toContain('ctx.choices');
  });

  it('ignores parameters that are not context', () => {
    expect(readUrlPresets('?programme=/x.json&at=3&paused&engine=scalar')).toEqual({ presets: [], context: {}, problems: [] });
  });
});

describe('checkUrlPresets', () => {
  it('keeps values that fit the declarations and changes nothing', () => {
    const { presets } = readUrlPresets('?lang=cy&duration=60&sign=on&orientation=portrait');
    const check = checkUrlPresets(presets, DEMO_VARIABLES, ['cy', 'en']);
    expect(check.problems).toEqual([]);
    expect(check.change).toEqual({});
    expect(check.keys.sort()).toEqual(['captionsLanguage', 'language', 'orientation', 'signLanguage', 'timeAvailable']);
  });

  it('drops a value outside the declared values or range with a notice naming the parameter', () => {
    const { presets } = readUrlPresets('?lang=fr&orientation=upside-down&timeOfDay=12&sign=on');
    const check = checkUrlPresets(presets, DEMO_VARIABLES, ['cy', 'en']);
    expect(check.change).toEqual({ language: undefined, captionsLanguage: undefined, orientation: undefined });
    expect(check.problems).toEqual([
      "The address's lang=fr was not used: lang expects one of en, cy.",
      "The address's orientation=upside-down was not used: orientation expects one of landscape, portrait, square.",
    ]);
    expect(check.keys.sort()).toEqual(['signLanguage', 'timeOfDay']);
  });

  it('maps ctx.<variable> to its context key and retypes it by the declaration', () => {
    const { presets } = readUrlPresets('?ctx.mood=lively&ctx.unknownThing=1');
    const check = checkUrlPresets(presets, DEMO_VARIABLES, []);
    expect(check.change).toEqual({ viewerMood: 'lively', mood: undefined, unknownThing: undefined });
    expect(check.problems).toEqual(["The address's ctx.unknownThing was not used: this programme has no setting called unknownThing."]);
    // A string variable given digits stays a string.
    const digits = checkUrlPresets(readUrlPresets('?ctx.code=7').presets, [{ name: 'code', key: 'code', type: 'string' }], []);
    expect(digits.change).toEqual({ code: '7' });
  });

  it('keeps a caption language only when the programme has captions in it', () => {
    const noWelshCaptions = checkUrlPresets(readUrlPresets('?lang=cy').presets, DEMO_VARIABLES, ['en']);
    expect(noWelshCaptions.change).toEqual({ captionsLanguage: undefined });
    expect(noWelshCaptions.problems).toEqual([]);
  });
});
