// A real click in WebKit for the audio tests: WebKitSession (webkit-webdriver.ts) has no element
// commands, and a script's element.click() is not a user gesture, so WebKit keeps the
// AudioContext suspended. The W3C WebDriver "Find Element" and "Element Click" calls, sent to the
// session's own driver, produce a trusted click that lets resume() start audio (measured with
// WebKitGTK 2.50.6).
import type { WebKitSession } from './webkit-webdriver';

async function call(session: WebKitSession, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${session.driverUrl}/session/${session.sessionId}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const json = (await response.json()) as { value?: unknown };
  if (!response.ok) throw new Error(`WebDriver POST ${path} failed (${response.status}): ${JSON.stringify(json.value).slice(0, 300)}`);
  return json.value;
}

/** Clicks the first element matching `selector` as a user would. */
export async function clickElement(session: WebKitSession, selector: string): Promise<void> {
  const found = (await call(session, '/element', { using: 'css selector', value: selector })) as Record<string, string>;
  const id = Object.values(found)[0];
  if (!id) throw new Error(`no element matches ${selector}`);
  await call(session, `/element/${id}/click`, {});
}
