// Opening a programme from the viewer's files: walking a dropped folder (entries faked as the
// File and Directory Entries API gives them), finding and preparing the programme, converting a
// StoryPlayer story with durations read from its media (Mediabunny, in Node).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { FOLDER_LIMITS } from './local-files';
import { entriesFromDrop, entriesFromFileList, prepareProgramme, type DroppedItem } from './open-files';

const repo = (...parts: string[]) => path.resolve(process.cwd(), ...parts);
const fileOf = (name: string, from: string) => new File([readFileSync(from)], name);

/** A fake FileSystemDirectoryEntry / FileSystemFileEntry tree, handing children over in batches of 2. */
function fakeEntry(fullPath: string, tree: Record<string, unknown> | File): FileSystemEntry {
  const name = fullPath.slice(fullPath.lastIndexOf('/') + 1);
  if (tree instanceof File) {
    return { isFile: true, isDirectory: false, name, fullPath, file: (ok: (f: File) => void) => ok(tree) } as unknown as FileSystemEntry;
  }
  const children = Object.entries(tree).map(([child, sub]) => fakeEntry(`${fullPath}/${child}`, sub as Record<string, unknown> | File));
  return {
    isFile: false,
    isDirectory: true,
    name,
    fullPath,
    createReader() {
      let next = 0;
      return {
        readEntries(ok: (batch: FileSystemEntry[]) => void) {
          const batch = children.slice(next, next + 2);
          next += batch.length;
          setTimeout(() => ok(batch), 0);
        },
      };
    },
  } as unknown as FileSystemEntry;
}

const empty = (name: string) => new File([], name);

describe('gathering the opened files', () => {
  it('walks a dropped folder, its subfolders and every batch of entries', async () => {
    const folder = fakeEntry('/show', {
      'programme.json': empty('programme.json'),
      media: { 'a.webm': empty('a.webm'), 'b.webm': empty('b.webm'), 'c.webm': empty('c.webm'), deeper: { 'd.vtt': empty('d.vtt') } },
    });
    const loose = empty('notes.txt');
    const entries = await entriesFromDrop([folder, loose] as DroppedItem[]);
    expect(entries.map((e) => e.path).sort()).toEqual(['notes.txt', 'show/media/a.webm', 'show/media/b.webm', 'show/media/c.webm', 'show/media/deeper/d.vtt', 'show/programme.json']);
  });

  it('stops walking once a drop passes the limits', async () => {
    const wide = fakeEntry('/wide', Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}`, empty(`f${i}`)])));
    await expect(entriesFromDrop([wide], { ...FOLDER_LIMITS, files: 5 })).rejects.toThrowError(/more than 5 files/);
    const deep = fakeEntry('/a', { b: { c: { d: { 'e.json': empty('e.json') } } } });
    await expect(entriesFromDrop([deep], { ...FOLDER_LIMITS, depth: 2 })).rejects.toThrowError(/a\/b\/c\/d is more than 2 folders deep/);
  });

  it("keeps a picked folder's relative paths", () => {
    const picked = Object.assign(empty('a.webm'), { webkitRelativePath: 'show/media/a.webm' });
    expect(entriesFromFileList([picked, empty('p.json')]).map((e) => e.path)).toEqual(['show/media/a.webm', 'p.json']);
  });
});

describe('preparing the programme', () => {
  it('hands a folder programme over with every file, and names nothing missing', async () => {
    const prepared = await prepareProgramme([
      { path: 'drop/fixtures/programmes/captions.json', file: fileOf('captions.json', repo('fixtures/programmes/captions.json')) },
      { path: 'drop/fixtures/media/count-a-vp9-opus.webm', file: empty('count-a-vp9-opus.webm') },
      ...['programme-en.vtt', 'programme-cy.vtt', 'programme-labels.srt'].map((name) => ({ path: `drop/fixtures/captions/${name}`, file: empty(name) })),
    ]);
    expect(prepared.programme.path).toBe('drop/fixtures/programmes/captions.json');
    expect(prepared.programme.files.size).toBe(5);
    expect(prepared.storyplayer).toBe(false);
    expect(prepared.missing).toEqual([]);
  });

  it('says which media are missing when a programme file is opened alone', async () => {
    const prepared = await prepareProgramme([{ path: 'compose.json', file: fileOf('compose.json', repo('fixtures/programmes/compose.json')) }]);
    expect(prepared.missing).toEqual([
      '../media/count-a-vp9-opus.webm points outside the opened folder',
      '../media/count-a-h264-aac.mp4 points outside the opened folder',
      '../media/count-b-vp9-opus.webm points outside the opened folder',
      '../../public/fonts/DejaVuSans.ttf points outside the opened folder',
    ]);
  });

  it('converts a StoryPlayer story, timing its media from the files opened with it', async () => {
    const story = repo('src/programme/import/fixtures/linear.json');
    const alone = await prepareProgramme([{ path: 'linear.json', file: fileOf('linear.json', story) }]);
    expect(alone.storyplayer).toBe(true);
    expect(alone.importWarnings.some((w) => /no known duration/.test(w))).toBe(true);
    expect(alone.missing).toContain('media/slice.mp4 is not among the opened files');

    const withMedia = await prepareProgramme([
      { path: 'story/linear.json', file: fileOf('linear.json', story) },
      { path: 'story/media/slice.mp4', file: fileOf('slice.mp4', repo('fixtures/media/count-a-h264-aac.mp4')) },
    ]);
    const programme = JSON.parse(withMedia.programme.text) as { format: string; title: string; assets: Record<string, { src?: string; duration?: number }> };
    expect(programme.format).toBe('tessera-programme');
    const slice = Object.values(programme.assets).find((a) => a.src === 'media/slice.mp4');
    expect(slice?.duration).toBeCloseTo(5, 1);
    expect(withMedia.missing).not.toContain('media/slice.mp4 is not among the opened files');
  });

  it('explains a story the importer cannot use', async () => {
    const broken = new File([JSON.stringify({ stories: [], narrative_elements: [] })], 'story.json');
    await expect(prepareProgramme([{ path: 'story.json', file: broken }])).rejects.toThrowError(/story\.json could not be converted from StoryPlayer/);
  });
});
