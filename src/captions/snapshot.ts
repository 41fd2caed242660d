// The timed-snapshot model of TTML captions (TTML / IMSC 1.1 text profile / EBU-TT-D): what is on
// screen during one interval, with every style already computed by imsc and every length already
// resolved, as plain JSON (numbers and strings, no DOM), so the C++ engine can lay it out and draw
// it without knowing TTML. Produced by parseTtml (./ttml.ts).
//
// Coordinates: the root container is the caption plane (normally the video's active picture).
// Horizontal lengths are fractions of its width, vertical lengths (and font sizes) fractions of its
// height, origin at the top left. Lengths that TTML expresses on the other axis (e.g. a font size in
// rw, a horizontal padding in em) are converted with `root.aspectRatio`.

/** A colour as straight (not premultiplied) RGBA bytes, 0–255 each. */
export type Rgba = [r: number, g: number, b: number, a: number];

export interface RootContainer {
  /** Width ÷ height used to convert lengths between the axes: the document's ittp:aspectRatio
   *  (or ttp:displayAspectRatio), else its tts:extent in px, else the caller's (default 16:9). */
  aspectRatio: number;
  /** Whether aspectRatio came from the document (false: the caller's assumption). */
  aspectRatioFromDocument: boolean;
  /** ttp:cellResolution (default 32 × 15): the grid that `c` lengths count in. */
  cellResolution: { columns: number; rows: number };
}

/** One interval [begin, end) of media time, in seconds, in which the displayed content is constant. */
export interface CaptionSnapshot {
  begin: number;
  /** null: shown until the end of the media (the document gives no end). */
  end: number | null;
  root: RootContainer;
  /** Regions in presentation order (document order; the engine stacks them by zIndex first). */
  regions: SnapshotRegion[];
}

export interface SnapshotRegion {
  id: string;
  /** tts:origin / tts:position: the region's top-left corner (fractions of root width, height). */
  x: number;
  y: number;
  /** tts:extent (fractions of root width, height). */
  width: number;
  height: number;
  /** tts:padding in physical directions: top/bottom fractions of root height, left/right of width. */
  padding: { top: number; right: number; bottom: number; left: number };
  /** Block-progression alignment of the content in the region. */
  displayAlign: 'before' | 'center' | 'after';
  /** Normalised tts:writingMode (lr → lrtb, rl → rltb, tb → tbrl). */
  writingMode: 'lrtb' | 'rltb' | 'tbrl' | 'tblr';
  /** 'always': draw backgroundColor even when the region is empty. */
  showBackground: 'always' | 'whenActive';
  backgroundColor: Rgba;
  /** tts:opacity of the whole region, 0–1. */
  opacity: number;
  /** 'hidden': clip the content to the region. */
  overflow: 'visible' | 'hidden';
  /** tts:zIndex, null for auto. */
  zIndex: number | null;
  paragraphs: SnapshotParagraph[];
}

export interface SnapshotParagraph {
  /** The paragraph's own font size (fraction of root height): the unit of lineHeight. */
  fontSize: number;
  /** Inline alignment as imsc computes it (left → start, right → end; see direction). */
  textAlign: 'start' | 'center' | 'end' | 'justify';
  direction: 'ltr' | 'rtl';
  /** Line height as a multiple of fontSize, or 'normal' (the font's own, ~1.2 in practice). */
  lineHeight: number | 'normal';
  /** ebutts:multiRowAlign: how lines align to one another inside the block ('auto' = textAlign). */
  multiRowAlign: 'auto' | 'start' | 'center' | 'end';
  /** ebutts:linePadding: background extended at each line's start and end (fraction of root width). */
  linePadding: number;
  /** itts:fillLineGap: span backgrounds fill the whole line height, no gaps between lines. */
  fillLineGap: boolean;
  /** tts:backgroundColor of the paragraph box. */
  backgroundColor: Rgba;
  /** xml:lang in effect ('' when unspecified). */
  lang: string;
  /** The content, in logical order: text runs, explicit line breaks and ruby groups. */
  inlines: SnapshotInline[];
}

export type SnapshotInline = SnapshotSpan | SnapshotLineBreak | SnapshotRuby;

/** A run of text with one computed style (nested spans are flattened; styles are inherited). */
export interface SnapshotSpan {
  kind: 'span';
  /** White space already collapsed per xml:space (imsc). */
  text: string;
  color: Rgba;
  backgroundColor: Rgba;
  /** Families in preference order; generic names as TTML spells them (e.g. proportionalSansSerif;
   *  'default' is given as monospaceSerif, per IMSC). Quoted names keep their quotes. */
  fontFamily: string[];
  /** Fraction of root height. */
  fontSize: number;
  fontStyle: 'normal' | 'italic' | 'oblique';
  fontWeight: 'normal' | 'bold';
  underline: boolean;
  lineThrough: boolean;
  overline: boolean;
  /** tts:textOutline: colour and thickness (fraction of root height), or null. */
  textOutline: { color: Rgba; thickness: number } | null;
  /** false for tts:visibility="hidden": takes its space but is not drawn. */
  visible: boolean;
}

export interface SnapshotLineBreak {
  kind: 'br';
}

/** tts:ruby container: base text with an annotation set over (or under) it. */
export interface SnapshotRuby {
  kind: 'ruby';
  base: SnapshotSpan[];
  annotation: SnapshotSpan[];
  /** tts:rubyPosition of the annotation: before (over, in horizontal text), after, or outside
   *  (before, except in the second of two annotation rows). */
  position: 'before' | 'after' | 'outside';
  /** tts:rubyAlign of the annotation over the base (imsc accepts these two). */
  align: 'center' | 'spaceAround';
}

export interface CaptionMessage {
  message: string;
}
