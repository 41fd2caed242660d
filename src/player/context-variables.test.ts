// Programme context variables as the settings panel and the address see them.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  declaredContextVariables,
  expectedValue,
  fitsVariable,
  parseTypedValue,
  sanitiseViewerContext,
  withFollowingCaptions,
} from './context-variables';

describe('declaredContextVariables', () => {
  it('lists the demo programme\'s context variables with their declarations', () => {
    const demo = JSON.parse(readFileSync(path.resolve('public/demo/programme.json'), 'utf8')) as unknown;
    const variables = declaredContextVariables(demo);
    expect(variables.map((v) => v.name)).toEqual([
      'orientation', 'language', 'captions', 'signLanguage', 'audioDescription', 'dialogueBalance', 'timeAvailable', 'timeOfDay',
    ]);
    expect(variables[1]).toEqual({
      name: 'language', key: 'language', type: 'string', values: ['en', 'cy'], default: 'en',
      description: 'Narration, on-screen text and default caption language',
    });
    expect(variables.find((v) => v.name === 'dialogueBalance')).toMatchObject({ type: 'number', min: 0, max: 1, default: 0 });
  });

  it('leaves out story state, lists and malformed declarations', () => {
    const variables = declaredContextVariables({
      variables: {
        score: { type: 'number', default: 0 }, // story state
        visited: { type: 'list', context: 'visited' },
        '<bad>': { type: 'boolean', context: 'x' },
        odd: { type: 'string', context: 'odd', values: ['a', 3, 'b'], default: 5 },
        level: { type: 'number', context: 'level', min: 'low', max: 10 },
      },
    });
    expect(variables).toEqual([
      { name: 'odd', key: 'odd', type: 'string', values: ['a', 'b'] },
      { name: 'level', key: 'level', type: 'number', max: 10 },
    ]);
    expect(declaredContextVariables(null)).toEqual([]);
    expect(declaredContextVariables({ variables: [] })).toEqual([]);
  });
});

describe('values', () => {
  const balance = { name: 'b', key: 'dialogueBalance', type: 'number' as const, min: 0, max: 1 };
  it('are parsed by type and checked against values and range', () => {
    expect(parseTypedValue('boolean', 'On')).toBe(true);
    expect(parseTypedValue('boolean', 'no')).toBe(false);
    expect(parseTypedValue('boolean', 'maybe')).toBeUndefined();
    expect(parseTypedValue('number', '0.5')).toBe(0.5);
    expect(parseTypedValue('number', '')).toBeUndefined();
    expect(parseTypedValue('number', 'Infinity')).toBeUndefined();
    expect(parseTypedValue('string', ' cy ')).toBe('cy');
    expect(fitsVariable(balance, 0.5)).toBe(true);
    expect(fitsVariable(balance, 1.5)).toBe(false);
    expect(fitsVariable(balance, '0.5')).toBe(false);
    expect(fitsVariable({ name: 'l', key: 'language', type: 'string', values: ['en', 'cy'] }, 'fr')).toBe(false);
    expect(expectedValue(balance)).toBe('a number from 0 to 1');
    expect(expectedValue({ type: 'boolean' })).toBe('on or off');
  });

  it('from storage keep known keys of the right type only', () => {
    expect(
      sanitiseViewerContext({ captions: 'yes', signLanguage: true, language: 'cy', captionsLanguage: 'x<y', timeAvailable: Infinity, mood: 'calm', choices: { access: 'audio' } }),
    ).toEqual({ signLanguage: true, language: 'cy', mood: 'calm', choices: { access: 'audio' } });
    expect(sanitiseViewerContext([1])).toEqual({});
  });
});

describe('withFollowingCaptions', () => {
  it('moves the caption language with the language unless the viewer chose another one', () => {
    expect(withFollowingCaptions({ language: 'cy' }, { language: 'en', captionsLanguage: 'en' }, ['cy', 'en'])).toEqual({ language: 'cy', captionsLanguage: 'cy' });
    expect(withFollowingCaptions({ language: 'cy' }, { language: 'en' }, ['cy', 'en'])).toEqual({ language: 'cy', captionsLanguage: 'cy' });
    // English captions chosen while listening in Welsh: kept.
    expect(withFollowingCaptions({ language: 'en' }, { language: 'cy', captionsLanguage: 'en' }, ['cy', 'en'])).toEqual({ language: 'en' });
    // No captions in that language: the caption track stays.
    expect(withFollowingCaptions({ language: 'cy' }, { language: 'en', captionsLanguage: 'en' }, ['en'])).toEqual({ language: 'cy' });
    expect(withFollowingCaptions({ signLanguage: true }, { language: 'en' }, ['en'])).toEqual({ signLanguage: true });
  });
});
