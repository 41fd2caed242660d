import { describe, expect, it } from 'vitest';

import { assetDescriptions, describeMediaError } from './media-errors';

describe('media error messages', () => {
  it('names the sign-language video and says the programme goes on', () => {
    expect(describeMediaError({ stage: 'media', file: 'media/signer.webm', asset: 'signer', role: 'sign', assetType: 'video' })).toBe(
      'The sign-language video could not be loaded; the programme plays without it.',
    );
  });

  it('words other roles and types plainly', () => {
    expect(describeMediaError({ stage: 'media', file: 'd.webm', role: 'description', assetType: 'audio' })).toMatch(/^The audio description could not/);
    expect(describeMediaError({ stage: 'asset', file: 'c/x.en.vtt' })).toMatch(/^Some of the captions could not/);
    expect(describeMediaError({ stage: 'asset', file: '/fonts/x.ttf' })).toBe('A font could not be loaded; the text is shown in the standard font.');
    expect(describeMediaError({ stage: 'media', file: 'p.webm' })).toMatch(/^A video in the programme could not/);
  });

  it('reads asset types and roles from a programme, ignoring what is not text', () => {
    const map = assetDescriptions(JSON.stringify({ assets: { signer: { type: 'video', role: 'sign' }, logo: { type: 'graphic' }, odd: { type: 3 } } }));
    expect(map.get('signer')).toEqual({ assetType: 'video', role: 'sign' });
    expect(map.get('logo')).toEqual({ assetType: 'graphic' });
    expect(map.get('odd')).toEqual({});
    expect(assetDescriptions('not json').size).toBe(0);
  });
});
