import { describe, expect, it } from 'vitest';

import { DEFAULT_CAPTION_SETTINGS, sanitiseCaptionSettings } from './caption-settings';

// Storing them (and migrating the first version's keys): preferences.test.ts.
describe('caption settings', () => {
  it('default to BBC guidance: white on a 75 % black backing box', () => {
    expect(DEFAULT_CAPTION_SETTINGS).toMatchObject({ textColour: '#ffffff', backgroundColour: '#000000', backgroundOpacity: 0.75, size: 100 });
  });

  it('keep each valid stored field and default each invalid one', () => {
    const stored = {
      size: 1000, // clamped to 200
      textColour: '#FF0000', // case folded
      textOpacity: 2, // out of range: default
      backgroundColour: 'red', // not #rrggbb: default
      backgroundOpacity: 0.5,
      windowColour: '#00ff00',
      windowOpacity: -1,
      edge: 'glow', // unknown: default
      font: 'mono',
      position: 'top',
      extra: '<script>',
    };
    expect(sanitiseCaptionSettings(stored)).toEqual({
      size: 200, textColour: '#ff0000', textOpacity: 1, backgroundColour: '#000000', backgroundOpacity: 0.5,
      windowColour: '#00ff00', windowOpacity: 0, edge: 'none', font: 'mono', position: 'top',
    });
    expect(sanitiseCaptionSettings({ size: 10 }).size).toBe(50);
    expect(sanitiseCaptionSettings({ size: 112.4 }).size).toBe(112);
    expect(sanitiseCaptionSettings(null)).toEqual(DEFAULT_CAPTION_SETTINGS);
    expect(sanitiseCaptionSettings([1, 2])).toEqual(DEFAULT_CAPTION_SETTINGS);
  });
});
