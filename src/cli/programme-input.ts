// Shared by the programme subcommands: reading a programme into the engine, reporting its
// diagnostics as file:line:column, and parsing `key=value` context arguments.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import type { Diagnostic, TesseraEngine, ValidationReport } from '../engine/engine';
import { CliError } from './command';

const MAX_PROGRAMME_BYTES = 16 * 1024 * 1024;

export async function readProgramme(file: string): Promise<string> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new CliError(`cannot read ${file}`, 1);
  }
  if (size > MAX_PROGRAMME_BYTES) throw new CliError(`${file} is ${size} bytes; programmes are limited to 16 MiB`, 1);
  return readFile(file, 'utf8');
}

export function formatDiagnostic(file: string, d: Diagnostic): string {
  const where = d.line > 0 ? `${file}:${d.line}:${d.column}` : file;
  return `${where}: ${d.severity}: ${d.message}${d.pointer ? ` (at ${d.pointer})` : ''}`;
}

/** Loads the programme; on errors prints them and throws (exit 1). Returns the report. */
export async function loadProgrammeOrFail(engine: TesseraEngine, file: string, err: NodeJS.WritableStream): Promise<ValidationReport> {
  const report = engine.loadProgramme(await readProgramme(file));
  if (!report.ok) {
    for (const d of report.diagnostics) if (d.severity === 'error') err.write(`${formatDiagnostic(file, d)}\n`);
    throw new CliError(`${file} is not a valid programme (${report.errors} error${report.errors === 1 ? '' : 's'}); run \`tessera validate\` for details`, 1);
  }
  return report;
}

/**
 * `key=value` pairs → a context object. Values are JSON where they parse as JSON (true, 12,
 * "x", [..]) and strings otherwise; dotted keys nest (choices.intro=detail).
 */
export function parseContext(pairs: readonly string[]): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`context must be key=value (got '${pair}')`, 2);
    const keys = pair.slice(0, eq).split('.');
    const raw = pair.slice(eq + 1);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    let target = context;
    for (const key of keys.slice(0, -1)) {
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw new CliError(`invalid context key '${key}'`, 2);
      const next = target[key];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1]!;
    if (last === '__proto__' || last === 'constructor' || last === 'prototype') throw new CliError(`invalid context key '${last}'`, 2);
    target[last] = value;
  }
  return context;
}

/** Asset files a programme names that do not exist (relative to the programme; URLs skipped). */
export async function missingAssetFiles(file: string, text: string): Promise<{ pointer: string; src: string }[]> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [];
  }
  const assets = (doc as { assets?: Record<string, { src?: unknown }> }).assets;
  if (!assets || typeof assets !== 'object') return [];
  const missing: { pointer: string; src: string }[] = [];
  const base = path.dirname(file);
  for (const [id, asset] of Object.entries(assets)) {
    const src = asset?.src;
    if (typeof src !== 'string' || /^[a-z][a-z0-9+.-]*:/i.test(src)) continue;
    try {
      await stat(path.resolve(base, src));
    } catch {
      missing.push({ pointer: `/assets/${id.replaceAll('~', '~0').replaceAll('/', '~1')}/src`, src });
    }
  }
  return missing;
}
