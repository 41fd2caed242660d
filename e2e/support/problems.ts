// Page errors and console errors a test collects and then expects to be none (optionally ignoring
// messages about one file, for tests that feed the player a bad file on purpose).
import type { Page } from '@playwright/test';

export function collectProblems(page: Page, ignoreFile?: string): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (ignoreFile && (message.text().includes(ignoreFile) || message.location().url.endsWith(ignoreFile))) return;
    problems.push(`console error: ${message.text()}`);
  });
  return problems;
}
