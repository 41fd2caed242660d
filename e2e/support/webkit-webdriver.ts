// Small W3C WebDriver client for WebKitGTK, used by the Playwright e2e tests to run pages in WebKit
// (Playwright itself cannot drive WebKit on this machine). It starts Xvfb, WebKitWebDriver and a
// MiniBrowser session, talks plain WebDriver HTTP with Node's fetch, and cleans every process up.
//
// Findings (WebKitWebDriver / MiniBrowser 2.50.6 from Debian 12 packages webkit2gtk-driver and
// libwebkit2gtk-4.1-0, Xvfb 21.1.7), all verified by experiment:
// - Capabilities that work:
//     { "webkitgtk:browserOptions": { "binary": ".../webkit2gtk-4.1/MiniBrowser",
//                                     "args": ["--automation", ...] },
//       "timeouts": { "script": ..., "pageLoad": ..., "implicit": 0 } }
//   `--automation` is mandatory whenever `args` is given: without it MiniBrowser starts as a normal
//   browser, never registers with the driver, and POST /session hangs (the stray browser is left
//   behind in the driver's process group). With no browserOptions at all the driver falls back to
//   its built-in default, which is the same MiniBrowser path plus `--automation`.
// - The GTK MiniBrowser has no `--headless` option (only the WPE one does) and dies with
//   "cannot open display" without X, so an X server is required: Xvfb with `-displayfd` picks a free
//   display number itself (no race) and writes it once it accepts connections.
// - Page console messages are not available: MiniBrowser's `--enable-write-console-messages-to-
//   stdout=true` works for a normal window but is ignored for the automation window (its settings
//   flags do not apply there). Tests that need console output must collect it in the page.
// - SharedArrayBuffer needs env JSC_useSharedArrayBuffer=1 (inherited driver -> browser -> web
//   process; without it `typeof SharedArrayBuffer` is "undefined"). With it SharedArrayBuffer
//   exists even on pages WITHOUT COOP/COEP, so check `crossOriginIsolated` (true only with the
//   headers), not the constructor, to test the server's headers. http://127.0.0.1 is a secure
//   context (crypto.subtle.digest works). Module workers (with static imports), WebAssembly
//   .instantiate, shared WebAssembly.Memory, Atomics between page and worker, WebGL2 and
//   VideoDecoder all work. Worker scripts need COOP/COEP headers too.
// - Window: MiniBrowser opens 1024x768 with a 38 px toolbar (outerHeight - innerHeight); POST
//   /window/rect works without a window manager, and applies late under load, so the viewport is
//   set by measuring. Screenshots are PNGs of the viewport only. Several sessions on one display
//   all stay `visibilityState: "visible"` with rAF at 60 Hz; only the top one has focus.
// - The browser and its helper processes stay in the driver's process group, so killing the
//   driver's group (spawned detached) removes everything. A tiny `sh` watchdog, fed the process
//   group ids over a pipe, kills them if the Node process dies without calling close().
// - WebKitWebDriver exits with status 1 within ~20 ms if its port is taken ("Unable to listen");
//   the client then retries on another port and checks via /proc that the socket answering /status
//   belongs to its own driver process.
// - After DELETE /session the browser's helper processes become zombies of PID 1 for a while;
//   group liveness is therefore judged from /proc (non-zombie members), else close() would wait.
// - Measured here (2 cores): start() 0.5-0.9 s (Xvfb ~60 ms, driver ready ~40 ms, POST /session
//   ~0.3 s, first script in about:blank ~0.2 s), close() 40-75 ms; 3 sessions started in parallel
//   ~1.2-1.7 s.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { connect as netConnect, createServer as netCreateServer } from 'node:net';

// ---------------------------------------------------------------------------------------------
// Binaries

export const WEBKIT_DRIVER_PATH = process.env.TESSERA_WEBKIT_DRIVER ?? '/usr/bin/WebKitWebDriver';
export const XVFB_PATH = process.env.TESSERA_XVFB ?? '/usr/bin/Xvfb';

function findMiniBrowser(): string {
  const fromEnv = process.env.TESSERA_MINIBROWSER;
  if (fromEnv) return fromEnv;
  const triplets = ['x86_64-linux-gnu', 'aarch64-linux-gnu', 'arm-linux-gnueabihf', 'riscv64-linux-gnu'];
  const apis = ['webkit2gtk-4.1', 'webkitgtk-6.0', 'webkit2gtk-4.0'];
  for (const api of apis) {
    for (const t of triplets) {
      const p = `/usr/lib/${t}/${api}/MiniBrowser`;
      if (existsSync(p)) return p;
    }
  }
  return '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
}

export const MINIBROWSER_PATH = findMiniBrowser();

/** True when WebKitWebDriver, Xvfb and MiniBrowser are installed (the tests skip otherwise). */
export function webkitAvailable(): boolean {
  return existsSync(WEBKIT_DRIVER_PATH) && existsSync(XVFB_PATH) && existsSync(MINIBROWSER_PATH);
}

// ---------------------------------------------------------------------------------------------
// Errors

/** A failed WebDriver command or a failure to start/stop the browser. */
export class WebDriverError extends Error {
  /** W3C error code ("javascript error", "timeout", …), or "transport", "http timeout",
   *  "startup", "wait timeout" for failures outside the protocol. */
  readonly code: string;
  readonly httpStatus: number | undefined;
  /** Last lines of the driver's (and browser's) stdout/stderr when the error happened. */
  readonly logTail: string;

  constructor(code: string, message: string, opts: { httpStatus?: number; logTail?: string; cause?: unknown } = {}) {
    const tail = opts.logTail?.trim() ?? '';
    super(tail ? `${message}\n--- WebKitWebDriver log tail ---\n${tail}` : message, { cause: opts.cause });
    this.name = 'WebDriverError';
    this.code = code;
    this.httpStatus = opts.httpStatus;
    this.logTail = tail;
  }
}

// ---------------------------------------------------------------------------------------------
// Process helpers

/** Keeps the last `max` characters written to a stream. */
class Tail {
  private buf = '';
  constructor(private readonly max = 12_000) {}
  push(chunk: Buffer | string): void {
    this.buf += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (this.buf.length > this.max * 2) this.buf = this.buf.slice(-this.max);
  }
  text(lines = 40): string {
    const all = this.buf.slice(-this.max).split('\n');
    return all.slice(-lines).join('\n');
  }
}

interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly log: Tail;
  /** Resolves when the process (the group leader) has exited. */
  readonly exited: Promise<void>;
  exitStatus: string | undefined;
}

function unrefStream(s: unknown): void {
  if (s && typeof s === 'object' && 'unref' in s && typeof s.unref === 'function') s.unref();
}

/** Spawns a process as the leader of a new process group, capturing its output in a tail. */
function spawnGroup(name: string, cmd: string, args: readonly string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  const log = new Tail();
  let resolveExit: () => void = () => {};
  const exited = new Promise<void>((r) => (resolveExit = r));
  const proc: Proc = { name, child, pid: child.pid ?? -1, log, exited, exitStatus: undefined };
  child.stdout?.on('data', (d: Buffer) => log.push(d));
  child.stderr?.on('data', (d: Buffer) => log.push(d));
  child.on('error', (e) => {
    proc.exitStatus = `spawn error: ${e.message}`;
    resolveExit();
  });
  child.on('exit', (code, signal) => {
    proc.exitStatus = signal ? `signal ${signal}` : `exit code ${code ?? '?'}`;
    resolveExit();
  });
  // Never keep the test process alive because of these children (close() is what ends them).
  child.unref();
  unrefStream(child.stdout);
  unrefStream(child.stderr);
  return proc;
}

/**
 * Does the process group still have a running (non-zombie) member? Members orphaned when the
 * driver exits are reparented to PID 1, which may reap them late, so kill(-pgid, 0) alone would
 * keep reporting zombies as alive; /proc tells them apart.
 */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${e}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp ..."; comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[2] === String(pgid) && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  if (pgid <= 1) return;
  try {
    process.kill(-pgid, sig);
  } catch {
    /* already gone */
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** SIGTERM the whole group, wait up to graceMs for it to disappear, then SIGKILL it. */
async function killGroup(proc: Proc, graceMs: number): Promise<void> {
  if (proc.pid <= 1) return;
  signalGroup(proc.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  await Promise.race([proc.exited, sleep(graceMs)]);
  // The leader is reaped by us; other members are reparented and may linger a little.
  while (groupAlive(proc.pid) && Date.now() < deadline) await sleep(20);
  if (groupAlive(proc.pid)) signalGroup(proc.pid, 'SIGKILL');
  await Promise.race([proc.exited, sleep(1000)]);
}

// Process groups that must die with this Node process, whatever way it ends.
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function registerGroup(pgid: number): void {
  liveGroups.add(pgid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const g of liveGroups) signalGroup(g, 'SIGTERM');
    });
  }
}

/**
 * A detached `sh` that reads process-group ids from a pipe. If the pipe closes without "exit"
 * (the Node process died: crash, SIGKILL, Playwright worker torn down), it TERMs, then KILLs them.
 */
class Watchdog {
  private readonly child: ChildProcess;
  private readonly groups: number[] = [];
  private done = false;

  constructor() {
    const script = [
      'trap "" INT HUP TERM',
      'pgs=""',
      'while IFS= read -r l; do',
      '  case "$l" in exit) exit 0;; *[!0-9]*|"") ;; *) pgs="$pgs $l";; esac',
      'done',
      'for p in $pgs; do kill -s TERM -- "-$p" 2>/dev/null; done',
      'sleep 1',
      'for p in $pgs; do kill -s KILL -- "-$p" 2>/dev/null; done',
      'exit 0',
    ].join('\n');
    this.child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    this.child.on('error', () => {
      this.done = true;
    });
    this.child.stdin?.on('error', () => {
      this.done = true;
    });
    this.child.unref();
    unrefStream(this.child.stdin);
  }

  watch(pgid: number): void {
    if (pgid <= 1) return;
    this.groups.push(pgid);
    registerGroup(pgid);
    if (!this.done) this.child.stdin?.write(`${pgid}\n`);
  }

  /** Everything was cleaned up normally: let the watchdog exit without killing anything. */
  dismiss(): void {
    for (const g of this.groups) liveGroups.delete(g);
    if (this.done) return;
    this.done = true;
    this.child.stdin?.end('exit\n');
  }
}

// ---------------------------------------------------------------------------------------------
// X display

/** Parses ":N", ":N.S", "unix:N" or "host:N" into a socket address. */
function displayAddress(display: string): { path: string } | { host: string; port: number } | null {
  const local = /^(?:unix)?:(\d+)(?:\.\d+)?$/.exec(display);
  if (local?.[1] !== undefined) return { path: `/tmp/.X11-unix/X${local[1]}` };
  const tcp = /^([\w.-]+):(\d+)(?:\.\d+)?$/.exec(display);
  if (tcp?.[1] !== undefined && tcp[2] !== undefined) return { host: tcp[1], port: 6000 + Number(tcp[2]) };
  return null;
}

/** True if an X server answers the connection handshake on `display` (any reply counts). */
export function xDisplayWorks(display: string, timeoutMs = 2000): Promise<boolean> {
  const addr = displayAddress(display);
  if (!addr) return Promise.resolve(false);
  return new Promise((resolve) => {
    const sock = 'path' in addr ? netConnect(addr.path) : netConnect(addr.port, addr.host);
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    sock.on('error', () => finish(false));
    sock.on('connect', () => {
      // Connection setup: little-endian, protocol 11.0, no authorisation.
      sock.write(Buffer.from([0x6c, 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    });
    // Reply byte 0 = Failed (e.g. needs a cookie), 1 = Success, 2 = Authenticate: a live server.
    sock.once('data', (d: Buffer) => finish(d.length > 0 && (d[0] ?? 9) <= 2));
  });
}

async function startXvfb(env: NodeJS.ProcessEnv, screen: string, timeoutMs: number): Promise<{ proc: Proc; display: string }> {
  const proc = spawnGroup('Xvfb', XVFB_PATH, ['-displayfd', '1', '-screen', '0', screen, '-nolisten', 'tcp', '-noreset'], env);
  const display = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(`Xvfb did not report a display within ${timeoutMs} ms`), timeoutMs);
    function fail(msg: string): void {
      clearTimeout(timer);
      reject(new WebDriverError('startup', msg, { logTail: proc.log.text() }));
    }
    proc.child.stdout?.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const m = /^(\d+)\n/.exec(out);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(`:${m[1]}`);
      }
    });
    void proc.exited.then(() => fail(`Xvfb exited early (${proc.exitStatus ?? '?'})`));
  }).catch(async (e: unknown) => {
    await killGroup(proc, 500);
    throw e;
  });
  return { proc, display };
}

// ---------------------------------------------------------------------------------------------
// Ports

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = netCreateServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Best effort (Linux /proc): is a socket of process `pid` listening on TCP `port`? Returns
 * undefined when it cannot tell (then the caller trusts /status plus "the driver is still alive").
 */
function pidListensOn(pid: number, port: number): boolean | undefined {
  try {
    const inodes = new Set<string>();
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m?.[1] !== undefined) inodes.add(m[1]);
      } catch {
        /* fd closed meanwhile */
      }
    }
    const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      let text: string;
      try {
        text = readFileSync(table, 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n').slice(1)) {
        const cols = line.trim().split(/\s+/);
        // cols: sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
        const local = cols[1];
        const state = cols[3];
        const inode = cols[9];
        if (!local || state !== '0A' || inode === undefined) continue;
        if (local.endsWith(`:${hexPort}`) && inodes.has(inode)) return true;
      }
    }
    return false;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP

interface W3CErrorValue {
  error?: unknown;
  message?: unknown;
}

async function httpJson(
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  body: unknown,
  timeoutMs: number,
  logTail: () => string,
): Promise<unknown> {
  let res: Response;
  const what = `${method} ${new URL(url).pathname}`;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const timedOut = err.name === 'TimeoutError' || err.name === 'AbortError';
    const detail = timedOut
      ? `no answer within ${timeoutMs} ms`
      : `${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ''}`;
    throw new WebDriverError(timedOut ? 'http timeout' : 'transport', `WebDriver ${what}: ${detail}`, {
      logTail: logTail(),
      cause: e,
    });
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    throw new WebDriverError('transport', `WebDriver ${what}: HTTP ${res.status}, not JSON: ${text.slice(0, 300)}`, {
      httpStatus: res.status,
      logTail: logTail(),
    });
  }
  const value = parsed && typeof parsed === 'object' && 'value' in parsed ? (parsed as { value: unknown }).value : undefined;
  const errVal = value && typeof value === 'object' ? (value as W3CErrorValue) : undefined;
  if (!res.ok || typeof errVal?.error === 'string') {
    const code = typeof errVal?.error === 'string' ? errVal.error : `http ${res.status}`;
    const msg = typeof errVal?.message === 'string' ? errVal.message : text.slice(0, 300);
    throw new WebDriverError(code, `WebDriver ${what} failed: ${code}: ${msg}`, {
      httpStatus: res.status,
      logTail: logTail(),
    });
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Session

export interface WebKitStartOptions {
  /** Reuse $DISPLAY when it is set and an X server answers on it (default true); else start Xvfb. */
  useExistingDisplay?: boolean;
  /** Xvfb screen, default "1920x1080x24" (must hold the window: viewport plus MiniBrowser's toolbar). */
  xvfbScreen?: string;
  /** Viewport size (innerWidth × innerHeight) set after the session starts; default 1280×720;
   *  null leaves MiniBrowser's default window. */
  viewport?: { width: number; height: number } | null;
  /** Extra MiniBrowser arguments (after --automation), e.g. ["--features=+WebGPU"]. */
  browserArgs?: readonly string[];
  /** Extra environment for the driver and browser (JSC_useSharedArrayBuffer=1 is always set). */
  env?: Readonly<Record<string, string>>;
  /** Session timeouts: script (execute/async, default 30 s) and page load (default 60 s). */
  scriptTimeoutMs?: number;
  pageLoadTimeoutMs?: number;
  /** Bound on the whole start-up (default 30 s). */
  startTimeoutMs?: number;
}

export interface WaitForOptions {
  /** Default 30 s. */
  timeoutMs?: number;
  /** Pause between polls, default 100 ms. */
  intervalMs?: number;
  args?: readonly unknown[];
  /** Prefix for the timeout error message. */
  message?: string;
}

export interface ExecuteOptions {
  /** For execute: HTTP timeout of this call. For executeAsync: the script timeout of this call. */
  timeoutMs?: number;
}

/** One WebKit browser (MiniBrowser) driven through WebKitWebDriver, with its own Xvfb if needed. */
export class WebKitSession {
  /** X display used, e.g. ":99". */
  display = '';
  /** Base URL of the driver, e.g. "http://127.0.0.1:41234". */
  driverUrl = '';
  /** WebDriver session id. */
  sessionId = '';
  /** Browser version reported by the driver (WebKitGTK version). */
  browserVersion = '';

  private xvfb: Proc | undefined;
  private driver: Proc | undefined;
  private readonly watchdog = new Watchdog();
  private scriptTimeoutMs: number;
  private readonly pageLoadTimeoutMs: number;
  private closing: Promise<void> | undefined;

  private constructor(private readonly opts: WebKitStartOptions) {
    this.scriptTimeoutMs = opts.scriptTimeoutMs ?? 30_000;
    this.pageLoadTimeoutMs = opts.pageLoadTimeoutMs ?? 60_000;
  }

  /** Starts Xvfb (unless a working $DISPLAY is reused), WebKitWebDriver and a MiniBrowser session. */
  static async start(opts: WebKitStartOptions = {}): Promise<WebKitSession> {
    const s = new WebKitSession(opts);
    try {
      await s.init();
      return s;
    } catch (e) {
      await s.close().catch(() => {});
      throw e;
    }
  }

  /** Last lines of the output of WebKitWebDriver and MiniBrowser (stdout and stderr). */
  log(lines = 40): string {
    return this.driver?.log.text(lines) ?? '';
  }

  private async init(): Promise<void> {
    const startTimeout = this.opts.startTimeoutMs ?? 30_000;
    const deadline = Date.now() + startTimeout;
    const remaining = () => Math.max(1000, deadline - Date.now());
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.WAYLAND_DISPLAY;
    Object.assign(env, {
      GDK_BACKEND: 'x11',
      NO_AT_BRIDGE: '1', // no accessibility bus lookups (dbus noise, start-up delay)
      JSC_useSharedArrayBuffer: '1',
      ...this.opts.env,
    });

    // 1. X display.
    const existing = process.env.DISPLAY;
    if ((this.opts.useExistingDisplay ?? true) && existing && (await xDisplayWorks(existing))) {
      this.display = existing;
    } else {
      const x = await startXvfb(env, this.opts.xvfbScreen ?? '1920x1080x24', Math.min(remaining(), 15_000));
      this.xvfb = x.proc;
      this.watchdog.watch(x.proc.pid);
      this.display = x.display;
    }
    env.DISPLAY = this.display;

    // 2. WebKitWebDriver on a free port (retry if another process grabs the port first).
    let lastErr: unknown;
    for (let attempt = 0; attempt < 4 && !this.driver; attempt++) {
      const port = await freePort();
      const proc = spawnGroup('WebKitWebDriver', WEBKIT_DRIVER_PATH, [`--port=${port}`, '--host=127.0.0.1'], env);
      this.watchdog.watch(proc.pid);
      this.driver = proc;
      this.driverUrl = `http://127.0.0.1:${port}`;
      try {
        await this.waitForDriver(proc, port, Math.min(remaining(), 10_000));
      } catch (e) {
        lastErr = e;
        this.driver = undefined;
        await killGroup(proc, 500);
        if (Date.now() >= deadline) break;
      }
    }
    if (!this.driver) throw lastErr ?? new WebDriverError('startup', 'WebKitWebDriver did not start');

    // 3. Session.
    const caps = {
      capabilities: {
        alwaysMatch: {
          'webkitgtk:browserOptions': {
            binary: MINIBROWSER_PATH,
            args: ['--automation', ...(this.opts.browserArgs ?? [])],
          },
          timeouts: { script: this.scriptTimeoutMs, pageLoad: this.pageLoadTimeoutMs, implicit: 0 },
          pageLoadStrategy: 'normal',
        },
      },
    };
    const created = await this.http('POST', '/session', caps, Math.min(remaining(), 30_000)).catch((e: unknown) => {
      if (e instanceof WebDriverError && e.code === 'http timeout') {
        // Seen when the browser never connects back (no --automation, or a binary that exits or hangs).
        throw new WebDriverError(
          'startup',
          `${e.message.split('\n')[0] ?? ''} — the browser did not connect to WebKitWebDriver (binary ${MINIBROWSER_PATH}, display ${this.display})`,
          { logTail: this.log(), cause: e },
        );
      }
      throw e;
    });
    const v = created && typeof created === 'object' ? (created as { sessionId?: unknown; capabilities?: unknown }) : {};
    if (typeof v.sessionId !== 'string') {
      throw new WebDriverError('startup', `POST /session returned no sessionId: ${JSON.stringify(created)}`, {
        logTail: this.log(),
      });
    }
    this.sessionId = v.sessionId;
    const capsBack = v.capabilities && typeof v.capabilities === 'object' ? (v.capabilities as { browserVersion?: unknown }) : {};
    this.browserVersion = typeof capsBack.browserVersion === 'string' ? capsBack.browserVersion : '';

    const vp = this.opts.viewport === undefined ? { width: 1280, height: 720 } : this.opts.viewport;
    if (vp) await this.setViewport(vp.width, vp.height);
  }

  /**
   * Resizes the window so that the page's innerWidth × innerHeight is width × height. The window
   * includes MiniBrowser's toolbar and resizes asynchronously (late under load), so this waits for
   * the viewport to reach the size, correcting the outer size if it settles elsewhere.
   */
  async setViewport(width: number, height: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const measure = () => this.execute<[number, number]>('return [innerWidth, innerHeight]', [], { timeoutMs: 5000 });
    // outer - inner is the toolbar (0 x 38 px here): aim for the right outer size at once.
    const [ow, oh, iw0, ih0] = await this.execute<[number, number, number, number]>(
      'return [outerWidth, outerHeight, innerWidth, innerHeight]',
      [],
      { timeoutMs: 5000 },
    );
    const rect = { x: 0, y: 0, width: width + Math.max(0, ow - iw0), height: height + Math.max(0, oh - ih0) };
    await this.cmd('POST', '/window/rect', rect, 10_000);
    let prev = '';
    let stable = 0;
    let got: [number, number] = [0, 0];
    while (Date.now() < deadline) {
      got = await measure();
      const [iw, ih] = got;
      if (iw === width && ih === height) return;
      const key = `${iw}x${ih}`;
      stable = key === prev ? stable + 1 : 0;
      prev = key;
      if (stable >= 2) {
        // Settled at the wrong size: adjust the outer size by the difference.
        rect.width += width - iw;
        rect.height += height - ih;
        await this.cmd('POST', '/window/rect', rect, 10_000);
        prev = '';
        stable = 0;
      }
      await sleep(20);
    }
    throw new WebDriverError(
      'startup',
      `could not set the viewport to ${width}x${height} (got ${got[0]}x${got[1]}; is the X screen large enough?)`,
    );
  }

  private async waitForDriver(proc: Proc, port: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      if (proc.exitStatus !== undefined) {
        throw new WebDriverError('startup', `WebKitWebDriver exited (${proc.exitStatus}) on port ${port}`, {
          logTail: proc.log.text(),
        });
      }
      try {
        const v = await httpJson('GET', `http://127.0.0.1:${port}/status`, undefined, 1000, () => '');
        const ready = v && typeof v === 'object' && (v as { ready?: unknown }).ready === true;
        if (ready && proc.exitStatus === undefined && pidListensOn(proc.pid, port) !== false) return;
        last = ready ? 'port answered by another process' : `not ready: ${JSON.stringify(v)}`;
      } catch (e) {
        last = e instanceof Error ? e.message : String(e);
      }
      if (Date.now() > deadline) {
        throw new WebDriverError('startup', `WebKitWebDriver not ready on port ${port} within ${timeoutMs} ms (${last})`, {
          logTail: proc.log.text(),
        });
      }
      await sleep(25);
    }
  }

  private http(method: 'GET' | 'POST' | 'DELETE', path: string, body: unknown, timeoutMs: number): Promise<unknown> {
    return httpJson(method, `${this.driverUrl}${path}`, body, timeoutMs, () => this.log());
  }

  /** A command on the current session. */
  private cmd(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, timeoutMs = 30_000): Promise<unknown> {
    if (!this.sessionId || this.closing) {
      return Promise.reject(new WebDriverError('invalid session id', `WebKit session is ${this.closing ? 'closed' : 'not started'}`));
    }
    return this.http(method, `/session/${this.sessionId}${path}`, body, timeoutMs);
  }

  /** Navigates and waits for the load event (page-load strategy "normal"). */
  async navigate(url: string): Promise<void> {
    await this.cmd('POST', '/url', { url }, this.pageLoadTimeoutMs + 5000);
  }

  async currentUrl(): Promise<string> {
    return String(await this.cmd('GET', '/url', undefined, 10_000));
  }

  async title(): Promise<string> {
    return String(await this.cmd('GET', '/title', undefined, 10_000));
  }

  /** Runs `script` as a function body (execute/sync); `arguments[i]` are `args`. Awaits returned promises. */
  async execute<T = unknown>(script: string, args: readonly unknown[] = [], opts: ExecuteOptions = {}): Promise<T> {
    const timeout = opts.timeoutMs ?? this.scriptTimeoutMs + 5000;
    return (await this.cmd('POST', '/execute/sync', { script, args: [...args] }, timeout)) as T;
  }

  /** execute/async: the script calls `arguments[arguments.length - 1](value)` to finish. */
  async executeAsync<T = unknown>(script: string, args: readonly unknown[] = [], opts: ExecuteOptions = {}): Promise<T> {
    if (opts.timeoutMs !== undefined && opts.timeoutMs !== this.scriptTimeoutMs) {
      await this.cmd('POST', '/timeouts', { script: opts.timeoutMs }, 10_000);
      this.scriptTimeoutMs = opts.timeoutMs;
    }
    return (await this.cmd('POST', '/execute/async', { script, args: [...args] }, this.scriptTimeoutMs + 5000)) as T;
  }

  /**
   * Polls execute/sync until the script returns something other than null, undefined or false
   * (0 and "" count as values). Script errors while polling (e.g. during a navigation) are retried;
   * on timeout it throws with the last value or error and the page's title and URL.
   */
  async waitFor<T = unknown>(script: string, opts: WaitForOptions = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const interval = opts.intervalMs ?? 100;
    const deadline = Date.now() + timeoutMs;
    let last = 'no result yet';
    for (;;) {
      const left = deadline - Date.now();
      try {
        const v = await this.execute<unknown>(script, opts.args ?? [], { timeoutMs: Math.max(2000, left) });
        if (v !== null && v !== undefined && v !== false) return v as T;
        last = `last value: ${JSON.stringify(v) ?? 'undefined'}`;
      } catch (e) {
        if (!(e instanceof WebDriverError) || ['transport', 'invalid session id'].includes(e.code)) throw e;
        last = `last error: ${e.code}: ${e.message.split('\n')[0] ?? ''}`;
      }
      if (Date.now() + interval > deadline) break;
      await sleep(interval);
    }
    const [title, url] = await Promise.all([
      this.cmd('GET', '/title', undefined, 3000).then(String, () => '?'),
      this.cmd('GET', '/url', undefined, 3000).then(String, () => '?'),
    ]);
    const prefix = opts.message ? `${opts.message}: ` : '';
    throw new WebDriverError(
      'wait timeout',
      `${prefix}waitFor timed out after ${timeoutMs} ms (${last.slice(0, 1000)}); page title ${JSON.stringify(title)}, url ${url}\nscript: ${script.slice(0, 300)}`,
      { logTail: this.log() },
    );
  }

  /** PNG of the current viewport. */
  async screenshot(): Promise<Buffer> {
    const b64 = await this.cmd('GET', '/screenshot', undefined, 30_000);
    if (typeof b64 !== 'string') throw new WebDriverError('transport', 'screenshot: no base64 string returned');
    return Buffer.from(b64, 'base64');
  }

  /** Deletes the session and kills WebKitWebDriver (with the browser) and our Xvfb. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    if (this.sessionId && this.driver && this.driver.exitStatus === undefined) {
      await this.http('DELETE', `/session/${this.sessionId}`, undefined, 5000).catch(() => {});
    }
    if (this.driver) {
      await killGroup(this.driver, 2000);
    }
    if (this.xvfb) {
      await killGroup(this.xvfb, 2000);
    }
    this.watchdog.dismiss();
  }
}
