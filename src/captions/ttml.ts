// TTML captions (TTML 2 / IMSC 1.1 text profile / EBU-TT-D, what BBC iPlayer delivers) parsed with
// imsc into timed snapshots (./snapshot.ts) for the engine to lay out and draw, and into plain-text
// events for `tessera captions --json`. imsc is imported module by module: its main entry loads
// its HTML renderer, which needs a DOM. Runs in Node and in a worker; no network, no eval.
//
// Input is untrusted: the text size and the number of intervals are capped, and everything imsc
// reports (its error handler's messages, a fatal throw) comes back as messages instead of escaping.
import imscDoc, { type ImscComputedLength, type ImscDocument, type ImscErrorHandler } from 'imsc/src/main/js/doc.js';
import imscIsd, { type ImscIsdElement } from 'imsc/src/main/js/isd.js';

import type {
  CaptionMessage,
  CaptionSnapshot,
  Rgba,
  RootContainer,
  SnapshotInline,
  SnapshotParagraph,
  SnapshotRegion,
  SnapshotRuby,
  SnapshotSpan,
} from './snapshot';

export type { CaptionMessage, CaptionSnapshot } from './snapshot';

export interface TtmlOptions {
  /** Largest accepted document, in UTF-16 code units (default 16 MiB). */
  maxLength?: number;
  /** Most intervals produced; later ones are dropped with a message (default 20,000). */
  maxSnapshots?: number;
  /** Width ÷ height of the root container when the document does not give one (default 16:9). */
  aspectRatio?: number;
}

export interface TtmlParse {
  snapshots: CaptionSnapshot[];
  errors: CaptionMessage[];
}

/** One interval in which the displayed text is constant (the `tessera captions --json` form). */
export interface TtmlEvent {
  begin: number;
  /** null: until the end of the media (the document gives no end). */
  end: number | null;
  text: string;
}

export const TTML_MAX_LENGTH = 16 * 1024 * 1024;
export const TTML_MAX_SNAPSHOTS = 20_000;

const TT_NAMESPACE = 'http://www.w3.org/ns/ttml';
const TTS = 'http://www.w3.org/ns/ttml#styling ';
const EBUTTS = 'urn:ebu:tt:style ';
const ITTS = 'http://www.w3.org/ns/ttml/profile/imsc1#styling ';

/** Whether the text looks like a TTML document (its root element is <tt>, with or without a prefix). */
export function looksLikeTtml(text: string): boolean {
  // Skip the BOM, the XML declaration, comments, processing instructions and a DOCTYPE.
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '');
  const match = /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>)*<(?:[A-Za-z_][\w.-]*:)?tt[\s>/]/.exec(head);
  return match !== null;
}

// ---- parsing -------------------------------------------------------------------------------

interface Parsed {
  doc: ImscDocument | null;
  errors: CaptionMessage[];
  handler: ImscErrorHandler;
}

function parseDocument(xmlText: string, options: TtmlOptions): Parsed {
  const errors: CaptionMessage[] = [];
  const seen = new Set<string>();
  const report = (severity: string) => (message: string) => {
    const text = `${severity}: ${String(message)}`;
    if (!seen.has(text) && errors.length < 1000) {
      seen.add(text);
      errors.push({ message: text });
    }
    return false; // never ask imsc to throw for a recoverable problem
  };
  const handler: ImscErrorHandler = { info: () => false, warn: report('warning'), error: report('error'), fatal: () => false };
  const maxLength = options.maxLength ?? TTML_MAX_LENGTH;
  if (xmlText.length > maxLength) {
    errors.push({ message: `fatal: the document is ${xmlText.length} characters long; the limit is ${maxLength}` });
    return { doc: null, errors, handler };
  }
  if (!looksLikeTtml(xmlText)) {
    errors.push({ message: 'fatal: not a TTML document (its root element is not <tt>)' });
    return { doc: null, errors, handler };
  }
  // imsc ignores elements outside the TTML namespace and then fails on the missing document.
  if (!xmlText.includes(TT_NAMESPACE)) {
    errors.push({ message: `fatal: not a TTML document (no element in the TTML namespace ${TT_NAMESPACE})` });
    return { doc: null, errors, handler };
  }
  try {
    const doc = imscDoc.fromXML(xmlText, handler);
    if (!doc) throw new Error('no <tt> element');
    return { doc, errors, handler };
  } catch (error) {
    // imsc throws its fatal messages as strings; sax throws Errors ("Unexpected close tag…").
    const message = error instanceof Error ? error.message : String(error);
    errors.push({ message: `fatal: ${message.replace(/\s+/g, ' ').trim()}` });
    return { doc: null, errors, handler };
  }
}

/** Media times rounded to the microsecond, so frame and tick arithmetic prints cleanly. */
function seconds(t: number): number {
  return Math.round(t * 1e6) / 1e6;
}

/** The intervals [begin, end) between imsc's event times; the last one open (end null). */
function intervals(doc: ImscDocument, max: number, errors: CaptionMessage[]): Array<[number, number | null]> {
  const times = doc.getMediaTimeEvents().filter((t) => Number.isFinite(t) && t >= 0);
  if (times.length > max) {
    errors.push({ message: `error: the document changes ${times.length} times; only the first ${max} intervals are given` });
  }
  const out: Array<[number, number | null]> = [];
  for (let i = 0; i < times.length && out.length < max; i++) out.push([times[i]!, i + 1 < times.length ? times[i + 1]! : null]);
  return out;
}

// ---- ISD → snapshot model --------------------------------------------------------------------

function rootContainer(doc: ImscDocument, fallbackAspect: number): RootContainer {
  let aspectRatio = doc.aspectRatio;
  // tts:extent in px on <tt> gives the pixel grid, hence an aspect ratio.
  if (!(aspectRatio && aspectRatio > 0) && doc.pxLength.w && doc.pxLength.h && doc.pxLength.w.rw > 0 && doc.pxLength.h.rh > 0) {
    aspectRatio = 1 / doc.pxLength.w.rw / (1 / doc.pxLength.h.rh); // width px ÷ height px
  }
  const fromDocument = aspectRatio !== null && aspectRatio > 0;
  return {
    aspectRatio: fromDocument ? aspectRatio! : fallbackAspect,
    aspectRatioFromDocument: fromDocument,
    cellResolution: { columns: Math.round(1 / doc.cellLength.w.rw), rows: Math.round(1 / doc.cellLength.h.rh) },
  };
}

class SnapshotBuilder {
  constructor(private readonly root: RootContainer) {}

  /** A computed length as a fraction of the root height. */
  private height(l: ImscComputedLength | undefined): number {
    return round(this.exactHeight(l));
  }

  private exactHeight(l: ImscComputedLength | undefined): number {
    return l ? l.rh + l.rw * this.root.aspectRatio : 0;
  }

  /** A computed length as a fraction of the root width. */
  private width(l: ImscComputedLength | undefined): number {
    return l ? round(l.rw + l.rh / this.root.aspectRatio) : 0;
  }

  region(el: ImscIsdElement): SnapshotRegion {
    const s = el.styleAttrs;
    const extent = s[`${TTS}extent`] as { w: ImscComputedLength; h: ImscComputedLength } | undefined;
    // imsc gives the position as tts:origin, or (TTML2) tts:position resolved to the same form.
    const origin = (s[`${TTS}origin`] ?? s[`${TTS}position`]) as { w: ImscComputedLength; h: ImscComputedLength } | undefined;
    // imsc's computed padding is [top, left, bottom, right] (writing mode already applied).
    const padding = (s[`${TTS}padding`] as ImscComputedLength[] | undefined) ?? [];
    const zIndex = s[`${TTS}zIndex`];
    const region: SnapshotRegion = {
      id: el.id ?? '',
      x: this.width(origin?.w),
      y: this.height(origin?.h),
      width: extent ? this.width(extent.w) : 1,
      height: extent ? this.height(extent.h) : 1,
      padding: { top: this.height(padding[0]), right: this.width(padding[3]), bottom: this.height(padding[2]), left: this.width(padding[1]) },
      displayAlign: oneOf(s[`${TTS}displayAlign`], ['before', 'center', 'after'] as const, 'before'),
      writingMode: writingMode(s[`${TTS}writingMode`]),
      showBackground: s[`${TTS}showBackground`] === 'whenActive' ? 'whenActive' : 'always',
      backgroundColor: rgba(s[`${TTS}backgroundColor`], [0, 0, 0, 0]),
      opacity: typeof s[`${TTS}opacity`] === 'number' && Number.isFinite(s[`${TTS}opacity`]) ? Math.min(1, Math.max(0, s[`${TTS}opacity`] as number)) : 1,
      overflow: s[`${TTS}overflow`] === 'visible' ? 'visible' : 'hidden',
      zIndex: typeof zIndex === 'number' ? zIndex : null,
      paragraphs: [],
    };
    for (const p of descendants(el, 'p')) region.paragraphs.push(this.paragraph(p));
    return region;
  }

  private paragraph(p: ImscIsdElement): SnapshotParagraph {
    const s = p.styleAttrs;
    const fontSize = this.height(s[`${TTS}fontSize`] as ImscComputedLength | undefined);
    const lh = s[`${TTS}lineHeight`];
    const inlines: SnapshotInline[] = [];
    for (const child of p.contents ?? []) this.inline(child, inlines);
    return {
      fontSize,
      textAlign: oneOf(s[`${TTS}textAlign`], ['start', 'center', 'end', 'justify'] as const, 'start'),
      direction: s[`${TTS}direction`] === 'rtl' ? 'rtl' : 'ltr',
      lineHeight:
        lh === 'normal' || lh === undefined || fontSize === 0
          ? 'normal'
          : round(this.exactHeight(lh as ImscComputedLength) / this.exactHeight(s[`${TTS}fontSize`] as ImscComputedLength)),
      multiRowAlign: oneOf(s[`${EBUTTS}multiRowAlign`], ['auto', 'start', 'center', 'end'] as const, 'auto'),
      linePadding: this.width(s[`${EBUTTS}linePadding`] as ImscComputedLength | undefined),
      fillLineGap: s[`${ITTS}fillLineGap`] === true,
      backgroundColor: rgba(s[`${TTS}backgroundColor`], [0, 0, 0, 0]),
      lang: p.lang ?? '',
      inlines,
    };
  }

  private inline(el: ImscIsdElement, out: SnapshotInline[]): void {
    if (el.kind === 'br') {
      out.push({ kind: 'br' });
      return;
    }
    if (el.kind !== 'span') return;
    const ruby = el.styleAttrs[`${TTS}ruby`];
    if (ruby === 'container') {
      out.push(this.ruby(el));
      return;
    }
    if (typeof el.text === 'string') {
      if (el.text.length > 0) out.push(this.span(el, el.text));
      return;
    }
    for (const child of el.contents ?? []) this.inline(child, out);
  }

  private ruby(container: ImscIsdElement): SnapshotRuby {
    const base: SnapshotSpan[] = [];
    const annotation: SnapshotSpan[] = [];
    let position: SnapshotRuby['position'] = 'outside';
    let align: SnapshotRuby['align'] = 'center';
    const walk = (el: ImscIsdElement, into: SnapshotSpan[]): void => {
      const role = el.styleAttrs[`${TTS}ruby`];
      let target = into;
      if (role === 'base' || role === 'baseContainer') target = base;
      if (role === 'text' || role === 'textContainer') {
        target = annotation;
        position = oneOf(el.styleAttrs[`${TTS}rubyPosition`], ['before', 'after', 'outside'] as const, position);
      }
      if (typeof el.text === 'string') {
        if (el.text.length > 0) target.push(this.span(el, el.text));
        return;
      }
      for (const child of el.contents ?? []) walk(child, target);
    };
    align = oneOf(container.styleAttrs[`${TTS}rubyAlign`], ['center', 'spaceAround'] as const, align);
    for (const child of container.contents ?? []) walk(child, base);
    return { kind: 'ruby', base, annotation, position, align };
  }

  private span(el: ImscIsdElement, text: string): SnapshotSpan {
    const s = el.styleAttrs;
    const decoration = Array.isArray(s[`${TTS}textDecoration`]) ? (s[`${TTS}textDecoration`] as string[]) : [];
    const outline = s[`${TTS}textOutline`] as { color: unknown; thickness: ImscComputedLength } | 'none' | undefined;
    const color = rgba(s[`${TTS}color`], [255, 255, 255, 255]);
    const family = s[`${TTS}fontFamily`];
    return {
      kind: 'span',
      text,
      color,
      backgroundColor: rgba(s[`${TTS}backgroundColor`], [0, 0, 0, 0]),
      fontFamily: Array.isArray(family) ? family.map(String) : ['monospaceSerif'],
      fontSize: this.height(s[`${TTS}fontSize`] as ImscComputedLength | undefined),
      fontStyle: oneOf(s[`${TTS}fontStyle`], ['normal', 'italic', 'oblique'] as const, 'normal'),
      fontWeight: s[`${TTS}fontWeight`] === 'bold' ? 'bold' : 'normal',
      underline: decoration.includes('underline'),
      lineThrough: decoration.includes('lineThrough'),
      overline: decoration.includes('overline'),
      textOutline: outline && outline !== 'none' ? { color: rgba(outline.color, color), thickness: this.height(outline.thickness) } : null,
      visible: s[`${TTS}visibility`] !== 'hidden',
    };
  }
}

/** imsc keeps every empty region whose showBackground is 'always' (the default), even with a
 *  transparent background; such a region draws nothing. */
function drawsSomething(region: SnapshotRegion): boolean {
  return region.paragraphs.length > 0 || (region.showBackground === 'always' && region.backgroundColor[3] > 0 && region.opacity > 0);
}

function descendants(el: ImscIsdElement, kind: ImscIsdElement['kind']): ImscIsdElement[] {
  const out: ImscIsdElement[] = [];
  const walk = (e: ImscIsdElement) => {
    for (const child of e.contents ?? []) {
      if (child.kind === kind) out.push(child);
      else walk(child);
    }
  };
  walk(el);
  return out;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function writingMode(value: unknown): SnapshotRegion['writingMode'] {
  switch (value) {
    case 'rltb': case 'rl': return 'rltb';
    case 'tbrl': case 'tb': return 'tbrl';
    case 'tblr': return 'tblr';
    default: return 'lrtb';
  }
}

function rgba(value: unknown, fallback: Rgba): Rgba {
  if (!Array.isArray(value) || value.length !== 4) return fallback;
  const bytes = value.map((v) => Math.min(255, Math.max(0, Math.round(Number(v) || 0))));
  return bytes as Rgba;
}

/** Fractions rounded to 1e-9: enough for any pixel grid, and readable in tests and JSON. */
function round(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/** The visible text of a snapshot: paragraphs joined by "\n", line breaks as "\n", ruby
 *  annotations and hidden spans left out. */
export function snapshotText(snapshot: Pick<CaptionSnapshot, 'regions'>): string {
  const paragraphs: string[] = [];
  for (const region of snapshot.regions) {
    for (const p of region.paragraphs) {
      let text = '';
      for (const inline of p.inlines) {
        if (inline.kind === 'br') text += '\n';
        else if (inline.kind === 'span') text += inline.visible ? inline.text : '';
        else text += inline.base.filter((s) => s.visible).map((s) => s.text).join('');
      }
      // Hidden spans can leave spaces at a line's ends; they are not visible text.
      text = text.split('\n').map((line) => line.trim()).join('\n');
      if (text.length > 0) paragraphs.push(text);
    }
  }
  return paragraphs.join('\n');
}

/** The timed snapshots of a TTML document: one per interval between imsc's event times. */
export function parseTtml(xmlText: string, options: TtmlOptions = {}): TtmlParse {
  const { doc, errors, handler } = parseDocument(xmlText, options);
  if (!doc) return { snapshots: [], errors };
  const root = rootContainer(doc, options.aspectRatio ?? 16 / 9);
  const builder = new SnapshotBuilder(root);
  const snapshots: CaptionSnapshot[] = [];
  for (const [begin, end] of intervals(doc, options.maxSnapshots ?? TTML_MAX_SNAPSHOTS, errors)) {
    let regions: SnapshotRegion[];
    try {
      regions = imscIsd.generateISD(doc, begin, handler).contents.filter((r) => r.kind === 'region').map((r) => builder.region(r)).filter(drawsSomething);
    } catch (error) {
      errors.push({ message: `error: at ${seconds(begin)} s: ${error instanceof Error ? error.message : String(error)}` });
      regions = [];
    }
    // The open interval after the last event only matters when something still shows.
    if (end === null && regions.length === 0) continue;
    snapshots.push({ begin: seconds(begin), end: end === null ? null : seconds(end), root, regions });
  }
  return { snapshots, errors };
}

/** A TTML document as the engine takes it (PlanRenderer::add_captions for a "ttml" asset): its
 *  snapshots and imsc's messages as UTF-8 JSON. */
export function ttmlSnapshotBytes(xmlText: string, options: TtmlOptions = {}): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(parseTtml(xmlText, options)));
}

/** The displayed text over time, from 0: one entry per interval in which it is constant
 *  ("" when nothing shows), adjacent equal intervals merged. */
export function eventsFromSnapshots(snapshots: readonly CaptionSnapshot[]): TtmlEvent[] {
  const events: TtmlEvent[] = [];
  const push = (begin: number, end: number | null, text: string) => {
    const last = events[events.length - 1];
    if (last && last.text === text && last.end === begin) last.end = end;
    else events.push({ begin, end, text });
  };
  for (const s of snapshots) {
    const previousEnd = events.length ? events[events.length - 1]!.end : 0;
    if (previousEnd !== null && s.begin > previousEnd) push(previousEnd, s.begin, '');
    push(s.begin, s.end, snapshotText(s));
  }
  // An open empty tail says nothing: drop it.
  const last = events[events.length - 1];
  if (last && last.end === null && last.text === '') events.pop();
  return events;
}

/** The displayed text of a TTML document over time (see eventsFromSnapshots); use parseTtml and
 *  eventsFromSnapshots to see imsc's messages too. */
export function ttmlEvents(xmlText: string, options: TtmlOptions = {}): TtmlEvent[] {
  return eventsFromSnapshots(parseTtml(xmlText, options).snapshots);
}
