// The player on phones in portrait (360×640, 390×844, 412×915) and a desktop window (1280×720),
// on the demo programme paused at 40 s: nothing scrolls sideways, every visible control of the
// control bar lies inside the window and is at least 44×44 CSS px (WCAG 2.5.5; 2.5.8 asks for 24),
// the picture fits the window, and on a phone the seek bar and the main controls are on the first
// screen with the extras behind "More controls" (a disclosure a keyboard opens and Esc closes).
// axe checks the phone layout, closed and open. src/ui/Transport.tsx and styles.css lay it out.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

import { pausedAt } from './support/playback-page';
import { collectProblems } from './support/problems';

const PHONES = [
  { width: 360, height: 640 },
  { width: 390, height: 844 },
  { width: 412, height: 915 },
];
const DESKTOP = { width: 1280, height: 720 };
const MIN_TARGET = 44;

async function openDemoPaused(page: Page): Promise<void> {
  await page.goto('/?at=40&paused&captions=on&audio=off'); // no sound: see e2e/viewer-context.spec.ts
  await page.waitForFunction(pausedAt, 40, { timeout: 30_000 });
}

interface Box {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The control bar's visible controls, where they are on the page (not the window), and the window. */
async function layout(page: Page) {
  return page.evaluate(() => {
    const named = (el: Element) =>
      el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent?.trim() ?? el.textContent?.trim() ?? el.tagName;
    const box = (el: Element) => {
      const r = el.getBoundingClientRect();
      return { name: named(el), x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height };
    };
    const controls = [...document.querySelectorAll('.transport :is(button, select, input)')].filter((el) => el.checkVisibility());
    const stage = document.querySelector('.stage');
    return {
      window: { width: innerWidth, height: innerHeight },
      scrollWidth: document.documentElement.scrollWidth,
      controls: controls.map(box),
      picture: stage ? box(stage) : null,
    };
  });
}

function outside(box: Box, window: { width: number }): boolean {
  return box.x < 0 || box.x + box.width > window.width + 0.5;
}

/** The checks every viewport shares: no sideways scrolling, controls inside and big enough. */
async function expectFits(page: Page, label: string): Promise<Box[]> {
  const seen = await layout(page);
  expect(seen.scrollWidth, `${label}: the page scrolls sideways`).toBeLessThanOrEqual(seen.window.width);
  expect(seen.controls.length, `${label}: controls`).toBeGreaterThan(0);
  expect(seen.controls.filter((c) => outside(c, seen.window)).map((c) => c.name), `${label}: controls outside the window`).toEqual([]);
  const small = seen.controls.filter((c) => c.width < MIN_TARGET - 0.5 || c.height < MIN_TARGET - 0.5);
  expect(small.map((c) => `${c.name} ${c.width}×${c.height}`), `${label}: controls under ${MIN_TARGET}×${MIN_TARGET}`).toEqual([]);
  // The whole picture shows: inside the window's width, and no taller than the window.
  expect(seen.picture).not.toBeNull();
  const picture = seen.picture!;
  expect(outside(picture, seen.window), `${label}: the picture is wider than the window`).toBe(false);
  expect(picture.y + picture.height, `${label}: the picture's bottom`).toBeLessThanOrEqual(seen.window.height);
  return seen.controls;
}

async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test.describe('the control bar on a phone in portrait', () => {
  for (const viewport of PHONES) {
    const label = `${viewport.width}×${viewport.height}`;
    test(`${label}: fits the screen, the extras behind "More controls"`, async ({ page }) => {
      const problems = collectProblems(page);
      await page.setViewportSize(viewport);
      await openDemoPaused(page);

      const closed = await expectFits(page, label);
      // The seek bar and the main row, all on the first screen (no scrolling to reach Play).
      const main = ['Position in the programme', 'Play', 'Mute', 'More controls'];
      for (const name of main) {
        const control = closed.find((c) => c.name === name);
        expect(control, `${label}: ${name} shown`).toBeDefined();
        expect(control!.y + control!.height, `${label}: ${name} on the first screen`).toBeLessThanOrEqual(viewport.height);
      }
      // The seek bar has a row of its own, the width of the player.
      const seek = closed.find((c) => c.name === 'Position in the programme')!;
      expect(closed.filter((c) => c !== seek && c.y < seek.y + seek.height && c.y + c.height > seek.y)).toEqual([]);
      expect(seek.width).toBeGreaterThan(viewport.width * 0.85);
      // Chapter, speed, volume, statistics and help wait behind "More controls".
      for (const name of ['Chapter', 'Speed', 'Volume', 'Statistics', 'Keyboard shortcuts']) expect(closed.map((c) => c.name)).not.toContain(name);

      const more = page.getByRole('button', { name: 'More controls' });
      await expect(more).toHaveAttribute('aria-expanded', 'false');
      await more.click();
      await expect(more).toHaveAttribute('aria-expanded', 'true');
      const open = await expectFits(page, `${label}, extras open`);
      expect(open.map((c) => c.name)).toEqual(expect.arrayContaining(['Chapter', 'Speed', 'Volume', 'Statistics', 'Keyboard shortcuts']));
      // The extras work where they are: Speed changes the rate.
      await page.getByLabel('Speed').selectOption('1.5');
      await expect(page.getByLabel('Speed')).toHaveValue('1.5'); // the worker's rate, shown back
      expect(problems).toEqual([]);
    });
  }

  test('390×844: the keyboard opens "More controls", moves into it, and Esc closes it', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openDemoPaused(page);
    const more = page.getByRole('button', { name: 'More controls' });
    await more.focus();
    await page.keyboard.press('Enter');
    await expect(more).toHaveAttribute('aria-expanded', 'true');
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Volume')).toBeFocused();
    const outline = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!);
      return `${style.outlineStyle} ${style.outlineWidth}`;
    });
    expect(outline).toMatch(/^solid [3-9]/);
    await page.keyboard.press('Escape');
    await expect(more).toHaveAttribute('aria-expanded', 'false');
    await expect(more).toBeFocused();
    await expect(page.getByLabel('Volume')).toBeHidden();
  });

  test('390×844: axe finds nothing, with the extras closed and open', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openDemoPaused(page);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'More controls' }).click();
    expect(await axeViolations(page)).toEqual([]);
  });
});

test('1280×720: every control in the bar, none behind "More controls"', async ({ page }) => {
  const problems = collectProblems(page);
  await page.setViewportSize(DESKTOP);
  await openDemoPaused(page);
  const controls = await expectFits(page, '1280×720');
  expect(controls.map((c) => c.name)).toEqual(
    expect.arrayContaining(['Position in the programme', 'Play', 'Mute', 'Volume', 'Chapter', 'Speed', 'Statistics', 'Keyboard shortcuts']),
  );
  await expect(page.getByRole('button', { name: 'More controls' })).toBeHidden();
  expect(problems).toEqual([]);
});
