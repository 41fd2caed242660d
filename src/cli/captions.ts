// `tessera captions <file> [--json]`: parses a caption file as the player would. WebVTT and SRT go
// through the engine's own parsers (the VTTCue / VTTRegion JSON contract, unchanged); TTML (IMSC,
// EBU-TT-D) through imsc, printed as the intervals in which the displayed text is constant.
// The format comes from the content (the WEBVTT signature, a <tt> root, an SRT timing line);
// --format overrides it.
import { readFile } from 'node:fs/promises';

import type { CaptionCue, CaptionsParse } from '../engine/engine';
import { loadEngineNode } from '../engine/load-node';
import { eventsFromSnapshots, looksLikeTtml, parseTtml, TTML_MAX_LENGTH, type TtmlEvent } from '../captions/ttml';
import { CliError, parseCommandLine, type Command } from './command';

export type CaptionFileFormat = 'vtt' | 'srt' | 'ttml';

const FORMATS: readonly CaptionFileFormat[] = ['vtt', 'srt', 'ttml'];
const FORMAT_NAMES: Record<CaptionFileFormat, string> = { vtt: 'WebVTT', srt: 'SRT', ttml: 'TTML' };

/** The caption format a file's text is in, or null when it looks like none of them. */
export function detectCaptionFormat(text: string): CaptionFileFormat | null {
  const t = text.replace(/^\uFEFF/, '');
  if (/^WEBVTT(?:[ \t\r\n]|$)/.test(t)) return 'vtt';
  if (looksLikeTtml(t)) return 'ttml';
  // SRT: an optional cue number, then a timing line, at the start (blank lines allowed before).
  if (/^\s*(?:\d+[ \t]*\r?\n)?[ \t]*\d+:\d{1,2}:\d{1,2}[,.]\d{1,3}[ \t]*-->[ \t]*\d+:\d{1,2}:\d{1,2}[,.]\d{1,3}/.test(t)) return 'srt';
  return null;
}

/** The file's text: UTF-8 (WebVTT requires it, SRT and TTML nearly always are), or UTF-16 when a
 *  byte-order mark says so (some TTML). */
function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}

/** Seconds as hh:mm:ss.mmm for the listing. */
function clock(seconds: number | null): string {
  if (seconds === null) return 'end';
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const indent = (text: string) => text.split('\n').map((line) => `    ${line}`).join('\n');

/** The cue settings that differ from the defaults, in WebVTT's own spelling. */
function cueSettings(cue: CaptionCue): string {
  const parts: string[] = [];
  if (cue.vertical) parts.push(`vertical:${cue.vertical}`);
  if (cue.line !== 'auto') parts.push(`line:${cue.line}${cue.snapToLines ? '' : '%'}${cue.lineAlign !== 'start' ? `,${cue.lineAlign}` : ''}`);
  if (cue.position !== 'auto') parts.push(`position:${cue.position}%${cue.positionAlign !== 'auto' ? `,${cue.positionAlign}` : ''}`);
  if (cue.size !== 100) parts.push(`size:${cue.size}%`);
  if (cue.align !== 'center') parts.push(`align:${cue.align}`);
  if (cue.region !== null) parts.push(`region:${cue.region}`);
  return parts.join(' ');
}

function listCues(file: string, format: CaptionFileFormat, parsed: CaptionsParse): string {
  const lines = [`${file}: ${FORMAT_NAMES[format]}, ${plural(parsed.cues.length, 'cue')}, ${plural(parsed.regions.length, 'region')}, ${plural(parsed.errors.length, 'problem')}`];
  for (const r of parsed.regions) {
    lines.push(`  region ${r.id}: width ${r.width}%, ${plural(r.lines, 'line')}, anchor ${r.regionAnchorX}%,${r.regionAnchorY}% at ${r.viewportAnchorX}%,${r.viewportAnchorY}%${r.scroll ? `, scroll ${r.scroll}` : ''}`);
  }
  for (const cue of parsed.cues) {
    const settings = cueSettings(cue);
    lines.push(`  ${clock(cue.startTime)} --> ${clock(cue.endTime)}${cue.id ? `  [${cue.id}]` : ''}${settings ? `  ${settings}` : ''}`);
    if (cue.text) lines.push(indent(cue.text));
  }
  return lines.join('\n');
}

function listEvents(file: string, events: TtmlEvent[], problems: number): string {
  const shown = events.filter((e) => e.text !== '');
  const lines = [`${file}: TTML, ${plural(shown.length, 'interval')} with text, ${plural(problems, 'problem')}`];
  for (const e of shown) {
    lines.push(`  ${clock(e.begin)} --> ${clock(e.end)}`);
    lines.push(indent(e.text));
  }
  return lines.join('\n');
}

export const captionsCommand: Command = {
  synopsis: '<file> [--format vtt|srt|ttml] [--json]',
  summary: 'Parses a WebVTT, SRT or TTML (IMSC, EBU-TT-D) caption file and lists its cues, or prints them as JSON.',
  async run(argv, out, err = process.stderr) {
    const { values, positionals } = parseCommandLine(argv, {
      format: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      out.write(
        `tessera captions ${this.synopsis}\n${this.summary}\n` +
          '  --json   WebVTT/SRT: { "cues", "regions", "errors" } (VTTCue / VTTRegion fields);\n' +
          '           TTML: { "events": [{ "begin", "end", "text" }] } (+ "errors" when imsc reports any)\n' +
          '  --format the format, when not to be detected from the content\n',
      );
      return;
    }
    if (positionals.length === 0) throw new CliError('missing <file>', 2);
    if (positionals.length > 1) throw new CliError(`unexpected argument '${positionals[1]}'`, 2);
    const forced = values.format;
    if (forced !== undefined && !(FORMATS as readonly string[]).includes(forced)) {
      throw new CliError(`--format must be vtt, srt or ttml (got '${forced}')`, 2);
    }
    const file = positionals[0]!;

    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (error) {
      throw new CliError(`cannot read ${file}: ${error instanceof Error ? error.message : error}`, 1);
    }
    // Caption files are UTF-8 text (WebVTT requires it); a larger file than TTML's cap is refused
    // before decoding.
    if (bytes.length > TTML_MAX_LENGTH * 2) throw new CliError(`${file}: ${bytes.length} bytes is too large for a caption file`, 1);
    const text = decodeText(bytes);
    const format = (forced as CaptionFileFormat | undefined) ?? detectCaptionFormat(text);
    if (!format) throw new CliError(`${file}: not a caption file (expected WebVTT, SRT or TTML)`, 1);

    if (format === 'ttml') {
      const parsed = parseTtml(text);
      const fatal = parsed.errors.find((e) => e.message.startsWith('fatal: '));
      if (fatal) throw new CliError(`${file}: not a usable TTML document: ${fatal.message.slice('fatal: '.length)}`, 1);
      const events = eventsFromSnapshots(parsed.snapshots);
      if (values.json) {
        out.write(`${JSON.stringify(parsed.errors.length ? { events, errors: parsed.errors } : { events })}\n`);
      } else {
        out.write(`${listEvents(file, events, parsed.errors.length)}\n`);
        for (const e of parsed.errors) err.write(`${file}: ${e.message}\n`);
      }
      return;
    }

    const engine = await loadEngineNode();
    let parsed: CaptionsParse;
    try {
      parsed = engine.parseCaptions(bytes, format);
    } catch (error) {
      throw new CliError(`${file}: ${error instanceof Error ? error.message : String(error)}`, 1);
    } finally {
      engine.dispose();
    }
    if (values.json) {
      out.write(`${JSON.stringify({ cues: parsed.cues, regions: parsed.regions, errors: parsed.errors })}\n`);
    } else {
      out.write(`${listCues(file, format, parsed)}\n`);
      for (const e of parsed.errors) err.write(`${file}:${e.line}: error: ${e.message}\n`);
    }
  },
};
