// Opening a programme from the viewer's files (src/ui/OpenProgramme.tsx): a folder picked with the
// Open control (Playwright hands a directory to the webkitdirectory input) plays from the files,
// with the engine drawing the same bytes as from the site; a file dropped on the page (a drop
// event carrying a DataTransfer) is opened, an invalid one is refused with the validator's
// diagnostics while the programme playing goes on, and a StoryPlayer story opens converted.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

import { GOLDEN_FRAMES, captureArgs, captureInPage, pausedAt, readPlaybackState, type PlaybackState } from './support/playback-page';
import { collectProblems } from './support/problems';

const repo = (...parts: string[]) => path.resolve(process.cwd(), ...parts);

/** Copies repository files into a new temporary folder, at the paths given (target ← source). */
function makeFolder(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'tessera-drop-'));
  for (const [target, source] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, target)), { recursive: true });
    copyFileSync(repo(source), path.join(root, target));
  }
  return root;
}

/**
 * The compose fixture as a viewer's folder: the programme two levels down, naming its media
 * with ../ (inside the folder) and its font from public/fonts; a JSON file that is not a
 * programme beside the media.
 */
const COMPOSE_FOLDER = {
  'show/fixtures/programmes/compose.json': 'fixtures/programmes/compose.json',
  'show/fixtures/media/count-a-vp9-opus.webm': 'fixtures/media/count-a-vp9-opus.webm',
  'show/fixtures/media/count-a-h264-aac.mp4': 'fixtures/media/count-a-h264-aac.mp4',
  'show/fixtures/media/count-b-vp9-opus.webm': 'fixtures/media/count-b-vp9-opus.webm',
  'show/fixtures/media/manifest.json': 'fixtures/media/manifest.json',
  'show/public/fonts/DejaVuSans.ttf': 'public/fonts/DejaVuSans.ttf',
};
const COMPOSE_TITLE = 'Compose fixture: picture-in-picture, name strap, crossfade and cut';

/** A StoryPlayer story (the importer's fixture) with media for its first element. */
const STORY_FOLDER = {
  'story/linear.json': 'src/programme/import/fixtures/linear.json',
  'story/media/slice.mp4': 'fixtures/media/count-a-h264-aac.mp4',
};

async function playback(page: Page): Promise<PlaybackState> {
  return (await (await page.waitForFunction(readPlaybackState, null, { timeout: 30_000 })).jsonValue()) as PlaybackState;
}

/** Opens the test card page (no programme, no controls yet). */
async function openTestCard(page: Page): Promise<void> {
  await page.goto('/?testcard&audio=off');
  await expect(page.getByRole('img', { name: /test card/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Open programme folder…' })).toBeEnabled();
}

/** A file as the test hands it to the page (bytes as base64: the page cannot read the disk). */
interface PageFile {
  name: string;
  base64: string;
  type: string;
}

function pageFile(name: string, source: string, type = 'application/octet-stream'): PageFile {
  return { name, base64: readFileSync(repo(source)).toString('base64'), type };
}

function jsonFile(name: string, doc: unknown): PageFile {
  return { name, base64: Buffer.from(JSON.stringify(doc, null, 2)).toString('base64'), type: 'application/json' };
}

/** Drops files on the page as a browser does: dragenter (the indicator shows), dragover, drop. */
async function dropFiles(page: Page, files: PageFile[]): Promise<void> {
  const data = await page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], f.name, { type: f.type }));
    }
    return transfer;
  }, files);
  await page.dispatchEvent('main', 'dragenter', { dataTransfer: data });
  await expect(page.locator('.drop-indicator-active')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Drop to open a programme folder' })).toHaveCount(1);
  await page.dispatchEvent('main', 'dragover', { dataTransfer: data });
  await page.dispatchEvent('main', 'drop', { dataTransfer: data });
  await expect(page.locator('.drop-indicator-active')).toHaveCount(0);
}

const compose = () => JSON.parse(readFileSync(repo('fixtures/programmes/compose.json'), 'utf8')) as {
  assets: Record<string, { src?: string }>;
  scenes: Record<string, { duration: unknown }>;
};

/** Pauses, seeks to 0.5 s and checks the engine's frame against the compose fixture's golden hash. */
async function expectGoldenFrame(page: Page): Promise<void> {
  await page.evaluate(() => window.tesseraPlayer?.pause());
  const frame = await page.evaluate(captureInPage, captureArgs(0.5));
  expect(frame.time).toBe(0.5);
  expect(frame.sha256, 'the engine draws the opened programme as it draws it from the site').toBe(GOLDEN_FRAMES['0.5']);
  expect(await playback(page)).toMatchObject({ mediaErrors: 0 });
}

/** Playwright hands a directory to a webkitdirectory input only in Chromium (not over WebDriver BiDi). */
const DIRECTORY_UPLOAD = 'Playwright cannot give Firefox (WebDriver BiDi) a directory for a webkitdirectory input; the drop tests cover Firefox';

const folders: string[] = [];
test.afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** Lays the files out in a temporary folder and picks its `top` folder with Open programme folder. */
async function pickFolder(page: Page, files: Record<string, string>, top: string): Promise<void> {
  const folder = makeFolder(files);
  folders.push(folder);
  await page.getByTestId('open-folder').setInputFiles(path.join(folder, top));
}

test.describe('opening a programme from the viewer\'s files', () => {
  test('files dropped together play from those files, frame for frame as from the site', async ({ page }) => {
    const problems = collectProblems(page);
    // The compose fixture with its media beside it (a drop of loose files has no folders).
    const programme = compose();
    for (const asset of Object.values(programme.assets)) if (asset.src) asset.src = asset.src.slice(asset.src.lastIndexOf('/') + 1);
    await openTestCard(page);
    await dropFiles(page, [
      jsonFile('compose.json', programme),
      pageFile('count-a-vp9-opus.webm', 'fixtures/media/count-a-vp9-opus.webm', 'video/webm'),
      pageFile('count-a-h264-aac.mp4', 'fixtures/media/count-a-h264-aac.mp4', 'video/mp4'),
      pageFile('count-b-vp9-opus.webm', 'fixtures/media/count-b-vp9-opus.webm', 'video/webm'),
      pageFile('DejaVuSans.ttf', 'public/fonts/DejaVuSans.ttf', 'font/ttf'),
      pageFile('manifest.json', 'fixtures/media/manifest.json', 'application/json'),
    ]);

    await expect(page.getByRole('img', { name: `Programme: ${COMPOSE_TITLE}` })).toBeVisible();
    await expect(page.locator('.open-outcome')).toContainText('Playing compose.json.');
    await expect(page.locator('.open-missing')).toHaveCount(0);
    // The controls came with it, and it plays.
    await expect(page.getByRole('slider', { name: 'Position in the programme' })).toBeVisible();
    await expect.poll(async () => (await playback(page)).presented, { timeout: 30_000 }).toBeGreaterThan(1);
    await expectGoldenFrame(page);
    expect(problems).toEqual([]);
  });

  test('a folder picked with Open plays from its subfolders, ../ and all', async ({ page, browserName }) => {
    test.skip(browserName === 'firefox', DIRECTORY_UPLOAD);
    const problems = collectProblems(page);
    await openTestCard(page);
    await pickFolder(page, COMPOSE_FOLDER, 'show');
    await expect(page.getByRole('img', { name: `Programme: ${COMPOSE_TITLE}` })).toBeVisible();
    await expect(page.locator('.open-outcome')).toContainText('Playing show/fixtures/programmes/compose.json.');
    await expect(page.locator('.open-missing')).toHaveCount(0);
    await expect.poll(async () => (await playback(page)).presented, { timeout: 30_000 }).toBeGreaterThan(1);
    await expectGoldenFrame(page);
    expect(problems).toEqual([]);
  });

  test('a programme file dropped alone opens and says its media are missing; an invalid one is refused with its diagnostics, and the first stays', async ({ page }) => {
    const problems = collectProblems(page);
    await openTestCard(page);
    await dropFiles(page, [jsonFile('compose.json', compose())]);
    await expect(page.getByRole('img', { name: `Programme: ${COMPOSE_TITLE}` })).toBeVisible();
    const missing = page.getByRole('list', { name: 'Missing files' });
    await expect(missing).toContainText('../media/count-a-vp9-opus.webm points outside the opened folder');
    await expect(page.locator('.open-outcome')).toContainText('Open the folder that holds the programme and its media to play everything.');
    // Paused at 2 s (playing in real time is not the point here: Firefox's first page can stall).
    await expect.poll(async () => (await playback(page)).presented, { timeout: 30_000 }).toBeGreaterThan(0);
    await page.evaluate(() => window.tesseraPlayer?.pause());
    await page.evaluate(() => window.tesseraPlayer?.seek(2));
    await page.waitForFunction(pausedAt, 2, { timeout: 30_000 });
    const before = await playback(page);

    const invalid = compose();
    invalid.scenes['two-clips']!.duration = 'four';
    await dropFiles(page, [jsonFile('broken.json', invalid)]);
    const refusal = page.getByRole('alert').filter({ hasText: 'broken.json is not a valid programme' });
    await expect(refusal).toContainText('What was playing goes on.');
    const diagnostics = page.getByRole('list', { name: 'Problems in broken.json' });
    await expect(diagnostics).toContainText(/At \/scenes\/two-clips\/duration \(line \d+, column \d+\): expected a (positive )?number/);
    // Nothing the viewer had was lost: the same programme, where it was, and it plays on.
    await expect(page.getByRole('img', { name: `Programme: ${COMPOSE_TITLE}` })).toBeVisible();
    expect(await playback(page)).toMatchObject({ state: 'paused', time: before.time, sha256: before.sha256 });
    await page.evaluate(() => window.tesseraPlayer?.play());
    await expect.poll(async () => (await playback(page)).state, { timeout: 10_000 }).toBe('playing');

    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    await refusal.getByRole('button', { name: 'Dismiss' }).click();
    await expect(refusal).toHaveCount(0);
    expect(problems).toEqual([]);
  });

  test('a StoryPlayer story dropped on the demo opens converted, naming its missing media and the importer\'s warnings', async ({ page }) => {
    const problems = collectProblems(page);
    await page.goto('/?at=10&paused&audio=off'); // the demo, replaced by the story
    await expect(page.getByRole('img', { name: /^Programme: Tessera/ })).toBeVisible();
    await dropFiles(page, [pageFile('linear.json', 'src/programme/import/fixtures/linear.json', 'application/json')]);

    await expect(page.getByRole('img', { name: 'Programme: Making toast' })).toBeVisible();
    const outcome = page.locator('.open-outcome');
    await expect(outcome).toContainText('Playing linear.json, converted from a StoryPlayer story.');
    await expect(outcome.locator('.open-warnings summary')).toContainText(/\d+ things? StoryPlayer does that Tessera does differently/);
    await outcome.locator('.open-warnings summary').click();
    await expect(outcome.locator('.open-warnings')).toContainText('no known duration');
    await expect(page.getByRole('list', { name: 'Missing files' })).toContainText('media/slice.mp4 is not among the opened files');
    await expect.poll(async () => (await playback(page)).presented, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  test('a StoryPlayer story\'s folder: its media are read, and time the story', async ({ page, browserName }) => {
    test.skip(browserName === 'firefox', DIRECTORY_UPLOAD);
    const problems = collectProblems(page);
    await openTestCard(page);
    await pickFolder(page, STORY_FOLDER, 'story');
    await expect(page.getByRole('img', { name: 'Programme: Making toast' })).toBeVisible();
    await expect(page.locator('.open-outcome')).toContainText('Playing story/linear.json, converted from a StoryPlayer story.');
    const missing = page.getByRole('list', { name: 'Missing files' });
    await expect(missing).toContainText('media/toast.mp4 is not among the opened files');
    await expect(missing).not.toContainText('media/slice.mp4');
    await expect.poll(async () => (await playback(page)).presented, { timeout: 30_000 }).toBeGreaterThan(1);
    expect(problems).toEqual([]);
  });
});
