// A programme opened from the viewer's files: paths, limits, finding the programme, resolving
// its assets' relative references inside (and never outside) what was opened.
import { describe, expect, it } from 'vitest';

import { FOLDER_LIMITS, OpenError, findProgramme, folderFiles, folderPath, missingAssets, programmeKind, resolveAssetPath, type Readable } from './local-files';

const text = (content: string): Readable => ({ size: content.length, text: async () => content });
const TESSERA = JSON.stringify({ format: 'tessera-programme', version: 1, id: 'p', title: 'P', assets: {}, layouts: {}, beginnings: [], scenes: {} });
const STORY = JSON.stringify({ stories: [], narrative_elements: [] });

describe('paths inside the opened folder', () => {
  it('are made canonical', () => {
    expect(folderPath('show/./media//a.webm')).toBe('show/media/a.webm');
    expect(folderPath('show/sub/../media/a.webm')).toBe('show/media/a.webm');
  });

  it('never climb out of it, nor start at a root', () => {
    expect(folderPath('../a.webm')).toBeNull();
    expect(folderPath('show/../../a.webm')).toBeNull();
    expect(folderPath('/etc/passwd')).toBeNull();
    expect(folderPath('a\\..\\b')).toBeNull();
    expect(folderPath('')).toBeNull();
  });
});

describe("resolving an asset's src against the opened files", () => {
  it('is relative to the programme file, and may climb within the drop', () => {
    expect(resolveAssetPath('show/programme.json', 'media/intro.webm')).toEqual({ path: 'show/media/intro.webm' });
    expect(resolveAssetPath('fixtures/programmes/compose.json', '../media/count-a.webm')).toEqual({ path: 'fixtures/media/count-a.webm' });
    expect(resolveAssetPath('programme.json', './captions/en.vtt')).toEqual({ path: 'captions/en.vtt' });
  });

  it('decodes percent-escapes and drops a query or fragment', () => {
    expect(resolveAssetPath('show/p.json', 'media/My%20clip.webm?v=2#t=3')).toEqual({ path: 'show/media/My clip.webm' });
  });

  it('refuses ../ escaping what was opened, addresses and site paths', () => {
    expect(resolveAssetPath('show/programme.json', '../../secret.webm')).toEqual({ problem: '../../secret.webm points outside the opened folder' });
    expect(resolveAssetPath('programme.json', '%2e%2e/x.webm')).toHaveProperty('problem');
    expect(resolveAssetPath('programme.json', 'https://example.com/a.webm')).toEqual({ problem: 'https://example.com/a.webm is an address, not a file beside the programme' });
    expect(resolveAssetPath('programme.json', 'blob:http://x/1')).toHaveProperty('problem');
    expect(resolveAssetPath('programme.json', '/media/a.webm')).toHaveProperty('problem');
    expect(resolveAssetPath('programme.json', 'media/%E0%A4%A.webm')).toHaveProperty('problem');
  });
});

describe('the folder as a file map', () => {
  it('keeps files by canonical path and skips paths outside the drop', () => {
    const map = folderFiles([
      { path: 'show/programme.json', file: 1 },
      { path: 'show/./media/a.webm', file: 2 },
      { path: '../escape.json', file: 3 },
    ]);
    expect([...map]).toEqual([
      ['show/programme.json', 1],
      ['show/media/a.webm', 2],
    ]);
  });

  it('refuses too many files and files too deep, rather than opening part', () => {
    const limits = { ...FOLDER_LIMITS, files: 3, depth: 2 };
    const many = Array.from({ length: 4 }, (_, i) => ({ path: `f${i}.webm`, file: i }));
    expect(() => folderFiles(many, limits)).toThrowError(/more than 3 files/);
    expect(() => folderFiles([{ path: 'a/b/c/d.json', file: 0 }], limits)).toThrowError(/more than 2 folders deep/);
    expect(folderFiles([{ path: 'a/b/c.json', file: 0 }], limits).size).toBe(1);
    expect(() => folderFiles([])).toThrowError(OpenError);
  });
});

describe('finding the programme among the files', () => {
  it('tells Tessera programmes and StoryPlayer stories apart', () => {
    expect(programmeKind(JSON.parse(TESSERA))).toBe('tessera');
    expect(programmeKind(JSON.parse(STORY))).toBe('storyplayer');
    expect(programmeKind({ stories: [] })).toBeNull();
    expect(programmeKind([1])).toBeNull();
    expect(programmeKind(null)).toBeNull();
  });

  it('takes programme.json, the shallowest, even when it is not valid (the validator says why)', async () => {
    const files = new Map([
      ['show/other.json', text(TESSERA)],
      ['show/programme.json', text('{"format": 3}')],
      ['show/old/programme.json', text(TESSERA)],
    ]);
    const found = await findProgramme(files);
    expect(found).toMatchObject({ path: 'show/programme.json', kind: null, doc: { format: 3 } });
  });

  it('else the one JSON file that is a programme or a story, ignoring other JSON', async () => {
    const files = new Map([
      ['fixtures/media/manifest.json', text('{"clips": []}')],
      ['fixtures/programmes/compose.json', text(TESSERA)],
      ['fixtures/media/a.webm', text('')],
    ]);
    expect(await findProgramme(files)).toMatchObject({ path: 'fixtures/programmes/compose.json', kind: 'tessera' });
    const story = new Map([['story/linear.json', text(STORY)], ['story/notes.json', text('[]')]]);
    expect(await findProgramme(story)).toMatchObject({ path: 'story/linear.json', kind: 'storyplayer' });
  });

  it('takes a JSON file opened alone, whatever it holds (not even JSON)', async () => {
    expect(await findProgramme(new Map([['broken.json', text('{"format": ')]]))).toMatchObject({ path: 'broken.json', kind: null, doc: null });
  });

  it('says so when there is no programme, or more than one', async () => {
    await expect(findProgramme(new Map([['a.webm', text('')]]))).rejects.toThrowError(/no \.json file/);
    await expect(findProgramme(new Map([['a.json', text('{}')], ['b.json', text('[]')]]))).rejects.toThrowError(/none of the JSON files is a Tessera programme/);
    await expect(findProgramme(new Map([['a.json', text(TESSERA)], ['b.json', text(STORY)]]))).rejects.toThrowError(/several programmes \(a\.json, b\.json\)/);
    await expect(findProgramme(new Map([['a/programme.json', text(TESSERA)], ['b/programme.json', text(TESSERA)]]))).rejects.toThrowError(/several programmes/);
  });

  it('reads no more JSON than the limit allows', async () => {
    const files = new Map([['a.json', text(TESSERA)], ['b.json', text(TESSERA)]]);
    await expect(findProgramme(files, { ...FOLDER_LIMITS, jsonBytes: TESSERA.length + 10 })).rejects.toThrowError(/b\.json is too large/);
  });
});

describe('media a programme names that were not opened', () => {
  it('lists each missing or unreachable file once', () => {
    const doc = {
      assets: {
        a: { type: 'video', src: 'media/a.webm' },
        b: { type: 'video', src: 'media/b.webm' },
        b2: { type: 'audio', src: 'media/b.webm' },
        c: { type: 'video', src: '../../c.webm' },
        g: { type: 'graphic', graphic: {} },
      },
    };
    const files = new Map([['show/media/a.webm', 0]]);
    expect(missingAssets(doc, 'show/programme.json', files)).toEqual(['media/b.webm is not among the opened files', '../../c.webm points outside the opened folder']);
    expect(missingAssets(null, 'p.json', files)).toEqual([]);
  });
});
