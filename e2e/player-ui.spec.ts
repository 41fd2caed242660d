// The viewer's controls and overlays on the demo programme (public/demo/programme.json): the
// timed choice at scene "access" (opens at 118 s for 6 s, default "captions"), the control bar by
// keyboard alone, the shortcuts, the help dialog, and an axe check of all of it. Tests start
// paused and seek (real-time play only for a second or two), as playback is CPU-sensitive.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';

import { pausedAt, readPlaybackState, type PlaybackState } from './support/playback-page';
import { collectProblems } from './support/problems';

/** The demo's choice: scene "access" starts at 114 s; the choice opens 4 s in, for 6 s. */
const CHOICE_OPENS = 118;
const CHOICE_CLOSES = 124;
/** Scene titles of the two branches (the chapter name the seek bar shows after the choice). */
const CAPTIONS_CHAPTER = 'Captions';
const SOUND_CHAPTER = 'Sound in layers';

async function openDemoPaused(page: Page, at: number): Promise<void> {
  await page.goto(`/?at=${at}&paused&audio=off`); // no sound: see e2e/viewer-context.spec.ts
  await page.waitForFunction(pausedAt, at, { timeout: 30_000 });
}

async function playback(page: Page): Promise<PlaybackState> {
  return (await (await page.waitForFunction(readPlaybackState, null, { timeout: 30_000 })).jsonValue()) as PlaybackState;
}

/** Seeks with the player's own command and waits for the settled, paused frame there. */
async function seekPaused(page: Page, time: number): Promise<void> {
  await page.evaluate((t) => window.tesseraPlayer?.seek(t), time);
  await page.waitForFunction(pausedAt, time, { timeout: 30_000 });
}

const choice = (page: Page) => page.getByRole('dialog', { name: 'What next? · Beth nesaf?' });
const seekBar = (page: Page) => page.getByRole('slider', { name: 'Position in the programme' });

/** The chapter after the choice: seek into it and read the seek bar's chapter. */
async function expectChapterAfterChoice(page: Page, chapter: string): Promise<void> {
  await seekPaused(page, CHOICE_CLOSES + 2);
  await expect(seekBar(page)).toHaveAttribute('aria-valuetext', new RegExp(`chapter: ${chapter}$`));
  await expect(page.locator('.chapter-name')).toHaveText(` · ${chapter}`);
}

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test.describe('player UI on the demo programme', () => {
  test('the demo plays at / by default, with its chapters on the seek bar', async ({ page }) => {
    const problems = collectProblems(page);
    await page.goto('/');
    await expect(page.getByRole('img', { name: /^Programme: Tessera/ })).toBeVisible();
    await expect.poll(async () => (await playback(page)).state, { timeout: 30_000 }).toBe('playing');
    await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
    // One mark per chapter start after the first.
    expect(await page.locator('.chapter-mark').count()).toBeGreaterThanOrEqual(8);
    await expect(seekBar(page)).toHaveAttribute('aria-valuetext', /of 3 minutes, chapter: /);
    // The system's media controls know the programme.
    await expect.poll(() => page.evaluate(() => navigator.mediaSession?.metadata?.title ?? null)).toMatch(/^Tessera/);
    await expect.poll(() => page.evaluate(() => navigator.mediaSession?.playbackState ?? null)).toBe('playing');
    expect(problems).toEqual([]);
  });

  test('?testcard shows the engine test card instead of the demo, without player controls', async ({ page }) => {
    await page.goto('/?testcard');
    await expect(page.getByRole('img', { name: /Engine test card/ })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Render again' })).toBeVisible();
    await expect(page.getByRole('group', { name: 'Playback controls' })).toHaveCount(0);
  });

  test('loading shows its progress while the programme is fetched', async ({ page }) => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/demo/programme.json', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto('/?paused&audio=off');
    const status = page.locator('.player-status-region');
    await expect(status).toHaveAttribute('role', 'status');
    await expect(status).toContainText('Loading the programme…', { timeout: 30_000 });
    await expect(status.getByRole('progressbar', { name: /Loading: step 2 of 3/ })).toBeVisible();
    release();
    await expect(status).toBeEmpty({ timeout: 30_000 });
    await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  });

  test('a media file that fails is reported in plain language, and the programme plays without it', async ({ page }) => {
    await page.route('**/demo/media/signer-placeholder.webm', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await openDemoPaused(page, 30);
    // Sign language on (the viewer's context): the signer's video is wanted, and missing.
    await page.evaluate(() => window.tesseraPlayer?.setContext({ signLanguage: true }));
    await expect(page.locator('.player-notices')).toContainText('The sign-language video could not be loaded; the programme plays without it.', {
      timeout: 30_000,
    });
    await page.keyboard.press('l');
    await expect.poll(async () => (await playback(page)).time).toBeCloseTo(40, 1);
  });

  test('buffering: while the next scene’s video is held back, the player says it is waiting', async ({ page }) => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let requested = false;
    await page.route('**/demo/media/picture-objects.webm', async (route) => {
      requested = true;
      await held;
      await route.continue();
    });
    await openDemoPaused(page, 23.5); // "objects" starts at 24 s
    await page.keyboard.press('k');
    await expect(page.locator('.player-status-region')).toContainText('Waiting for the video…', { timeout: 30_000 });
    expect(requested).toBe(true);
    release();
    await expect(page.locator('.player-status-region')).toBeEmpty({ timeout: 30_000 });
    await page.keyboard.press('k');
  });

  test('a programme that cannot be played is explained in plain language', async ({ page }) => {
    await page.route((url) => url.pathname === '/demo/missing.json', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto('/?programme=/demo/missing.json');
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('The programme could not be played.');
    await expect(alert).toContainText('The player itself works');
    await expect(alert).toContainText('HTTP 404');
  });

  test('reduced motion: the countdown is a number, without animation', async ({ page, browserName, playwright }) => {
    let reduced = page;
    let own: Browser | null = null;
    if (browserName === 'firefox') {
      // Firefox over WebDriver BiDi does not emulate the media feature (Playwright 1.63): a
      // browser of its own with the preference set instead.
      const browser = await playwright.firefox.launch({
        channel: 'moz-firefox',
        executablePath: '/usr/bin/firefox-esr',
        firefoxUserPrefs: { 'ui.prefersReducedMotion': 1 },
      });
      own = browser;
      reduced = await browser.newPage({ baseURL: test.info().project.use.baseURL });
    } else {
      await page.emulateMedia({ reducedMotion: 'reduce' });
    }
    try {
      await openDemoPaused(reduced, CHOICE_OPENS + 2);
      expect(await reduced.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches)).toBe(true);
      await expect(reduced.locator('.choice-seconds')).toHaveText('4');
      const fill = reduced.locator('.choice-timer-fill');
      expect(await fill.evaluate((el) => getComputedStyle(el).transitionDuration)).toBe('0s');
    } finally {
      await own?.close();
    }
  });

  test('the choice opens at its time; a click takes an option and the path follows it', async ({ page }) => {
    await openDemoPaused(page, CHOICE_OPENS - 1);
    await expect(choice(page)).toHaveCount(0);
    await seekPaused(page, CHOICE_OPENS + 0.5);
    await expect(choice(page)).toBeVisible();
    // Focus went to the default option; the countdown shows the whole seconds left.
    await expect(page.locator('.choice-option[data-option="captions"]')).toBeFocused();
    await expect(page.locator('.choice-seconds')).toHaveText('6');
    await expect(page.locator('#player-announcements')).toContainText('Choice: What next?');
    await page.getByRole('button', { name: /Learn about sound/ }).click();
    await expect(choice(page)).toHaveCount(0);
    await expect(page.locator('#player-announcements')).toContainText('You chose: Learn about sound');
    await expectChapterAfterChoice(page, SOUND_CHAPTER);
  });

  test('while playing, the choice appears and a number key takes an option', async ({ page }) => {
    // A tenth of a second before it opens: real-time play on a loaded machine can be slow.
    await openDemoPaused(page, CHOICE_OPENS - 0.1);
    await expect(choice(page)).toHaveCount(0);
    await page.getByRole('button', { name: 'Play' }).focus();
    await page.keyboard.press('Enter');
    await expect(choice(page)).toBeVisible({ timeout: 30_000 });
    await expect(page.locator('.choice-option').first()).toBeFocused();
    await page.keyboard.press('2');
    await expect(choice(page)).toHaveCount(0);
    // Focus goes back to where it was before the choice took it.
    await expect(page.locator('.play-pause')).toBeFocused();
    await page.keyboard.press('k');
    await expect.poll(async () => (await playback(page)).state).toBe('paused');
    await expectChapterAfterChoice(page, SOUND_CHAPTER);
  });

  test('without a choice, the default is taken when the countdown ends and playback goes on', async ({ page }) => {
    await openDemoPaused(page, CHOICE_CLOSES - 0.6);
    await expect(choice(page)).toBeVisible();
    await expect(page.locator('.choice-seconds')).toHaveText('1');
    await page.getByRole('button', { name: 'Play' }).focus();
    await page.keyboard.press('k');
    // Generous waits: real-time play on a machine shared with other work can crawl.
    await expect(choice(page)).toHaveCount(0, { timeout: 30_000 });
    await expect(page.locator('.chapter-name')).toHaveText(` · ${CAPTIONS_CHAPTER}`, { timeout: 30_000 });
    await expect(page.locator('#player-announcements')).toHaveText(/Chosen for you: Learn about captions|Chapter: Captions/);
    await page.keyboard.press('k');
    await expect.poll(async () => (await playback(page)).state).toBe('paused');
  });

  test('keyboard alone reaches and operates every control, with a visible focus', async ({ page, browserName }) => {
    await openDemoPaused(page, 30);
    await page.locator('body').click({ position: { x: 2, y: 2 } }); // start from the page, not the address bar
    // In the order they are on screen: the seek bar's row, then the main row, then the extras'.
    const expected = ['Position in the programme', 'Play', 'Chapter', 'Speed', 'Statistics', 'Keyboard shortcuts'];
    const reached: { name: string; outline: string }[] = [];
    // Up to the captions checkbox, the first control after the player's: one more Tab past the
    // page's last control would leave the document for the browser's own controls (Firefox).
    for (let i = 0; i < 14 && reached.at(-1)?.name !== 'Captions'; i++) {
      await page.keyboard.press('Tab');
      reached.push(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const name = el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent?.trim() ?? el.textContent?.trim() ?? '';
          const style = getComputedStyle(el);
          return { name, outline: `${style.outlineStyle} ${style.outlineWidth}` };
        }),
      );
    }
    const names = reached.map((r) => r.name);
    const order = expected.map((name) => names.indexOf(name));
    expect(order.every((index) => index >= 0), `${browserName} tab order: ${names.join(' → ')}`).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    if (await page.evaluate(() => document.fullscreenEnabled)) expect(names).toContain('Full screen');
    for (const r of reached.filter((x) => expected.includes(x.name))) expect(r.outline, `focus ring of ${r.name}`).toMatch(/^solid [3-9]/);

    // Play / pause by Enter on the button.
    const play = page.getByRole('button', { name: 'Play' });
    await play.focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await playback(page)).state).toBe('playing');
    await page.getByRole('button', { name: 'Pause' }).press('Enter');
    await expect.poll(async () => (await playback(page)).state).toBe('paused');

    // The seek bar: arrows move 5 s, End goes to the end, Home to the start.
    const before = (await playback(page)).time;
    await seekBar(page).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await playback(page)).time).toBeCloseTo(before + 5, 1);
    await page.keyboard.press('Home');
    await expect.poll(async () => (await playback(page)).time).toBe(0);

    // Chapter: a native select of the scenes; picking one goes to its start.
    await page.getByLabel('Chapter', { exact: true }).focus();
    await page.keyboard.press('End');
    await expect.poll(async () => (await playback(page)).time).toBe(170); // "outro"
    await expect(page.locator('.chapter-name')).toHaveText(' · Tessera');

    // Speed: a native select, changed with the arrow keys.
    await page.getByLabel('Speed').focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByLabel('Speed')).toHaveValue('1.25');
    await page.keyboard.press('ArrowUp');
    await expect(page.getByLabel('Speed')).toHaveValue('1');

    // Statistics toggle.
    const stats = page.getByRole('button', { name: 'Statistics' });
    await stats.press('Enter');
    await expect(stats).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByRole('region', { name: 'Playback statistics' })).toBeVisible();
    await stats.press('Space');
    await expect(page.getByRole('region', { name: 'Playback statistics' })).toHaveCount(0);

    // Help opens as a modal dialog, Esc closes it, focus returns.
    const help = page.getByRole('button', { name: 'Keyboard shortcuts' });
    await help.press('Enter');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
    await expect(help).toBeFocused();
  });

  test('full screen: the button and F put the player area full screen, and the button says so', async ({ page }) => {
    await openDemoPaused(page, 10);
    test.skip(!(await page.evaluate(() => document.fullscreenEnabled)), 'no Fullscreen API in this browser');
    const button = page.getByRole('button', { name: 'Full screen' });
    await button.press('Enter');
    await expect.poll(() => page.evaluate(() => document.fullscreenElement?.classList.contains('player') ?? false)).toBe(true);
    await expect(button).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press('f');
    await expect.poll(() => page.evaluate(() => document.fullscreenElement === null)).toBe(true);
    await expect(button).toHaveAttribute('aria-pressed', 'false');
  });

  test('shortcuts: play/pause, seeking, jumps, captions, statistics and help', async ({ page }) => {
    await openDemoPaused(page, 60);
    await page.locator('h1').click(); // focus on the page, no control
    const time = async () => (await playback(page)).time;

    await page.keyboard.press('l');
    await expect.poll(time).toBeCloseTo(70, 1);
    await page.keyboard.press('j');
    await expect.poll(time).toBeCloseTo(60, 1);
    await page.keyboard.press('ArrowRight');
    await expect.poll(time).toBeCloseTo(65, 1);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(time).toBeCloseTo(60, 1);
    await page.keyboard.press('5');
    await expect.poll(time).toBeCloseTo(90, 1); // 50 % of 180 s
    await page.keyboard.press('0');
    await expect.poll(time).toBe(0);

    await page.keyboard.press('k');
    await expect.poll(async () => (await playback(page)).state).toBe('playing');
    await expect(page.locator('#player-announcements')).toHaveText('Playing');
    await page.keyboard.press(' ');
    await expect.poll(async () => (await playback(page)).state).toBe('paused');
    await expect(page.locator('#player-announcements')).toHaveText('Paused');

    const captions = page.getByLabel('Captions', { exact: true });
    const wasOn = await captions.isChecked();
    await page.keyboard.press('c');
    await expect(captions).toBeChecked({ checked: !wasOn });
    await page.keyboard.press('c');
    await expect(captions).toBeChecked({ checked: wasOn });

    await page.keyboard.press('i');
    await expect(page.getByRole('region', { name: 'Playback statistics' })).toBeVisible();
    await expect(page.locator('[data-stat="heap"]')).toHaveText(/MiB$/);
    await expect(page.locator('[data-stat="decode-queue"]')).toHaveText(/^\d+ frames?$/);
    // The audio buffer, where the worker reports one; a dash until then.
    await expect(page.locator('[data-stat="audio-queued"]')).toHaveText(/^(—|\d+ frames?)$/);
    await page.keyboard.press('i');
    await expect(page.getByRole('region', { name: 'Playback statistics' })).toHaveCount(0);

    // A shortcut key typed into a focused control that takes it does nothing: Space on a button presses it.
    const stats = page.getByRole('button', { name: 'Statistics' });
    await stats.focus();
    await page.keyboard.press(' ');
    await expect(stats).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(async () => (await playback(page)).state).toBe('paused');
  });

  test('the help dialog traps focus, closes with Esc and gives focus back', async ({ page }) => {
    await openDemoPaused(page, 20);
    const opener = page.getByRole('button', { name: 'Keyboard shortcuts' });
    await opener.focus();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('Play or pause');
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press(i % 2 ? 'Shift+Tab' : 'Tab');
      expect(await page.evaluate(() => !!document.activeElement?.closest('dialog[open]'))).toBe(true);
    }
    // Shortcuts wait while the dialog is open.
    await page.keyboard.press('k');
    await expect.poll(async () => (await playback(page)).state).toBe('paused');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(opener).toBeFocused();
  });

  test('axe finds no WCAG 2.2 AA violations: paused, with statistics, with the choice, with the help dialog', async ({ page }) => {
    await openDemoPaused(page, 40);
    expect(await axeViolations(page), 'paused').toEqual([]);
    await page.getByRole('button', { name: 'Statistics' }).click();
    await expect(page.getByRole('region', { name: 'Playback statistics' })).toBeVisible();
    await seekPaused(page, CHOICE_OPENS + 1);
    await expect(choice(page)).toBeVisible();
    expect(await axeViolations(page), 'statistics and choice open').toEqual([]);
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    expect(await axeViolations(page), 'help dialog open').toEqual([]);
  });
});
