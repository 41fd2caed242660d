// The viewer's caption settings (what FCC-style caption settings offer), as the engine takes them:
// it draws the captions, so it applies them. Settings from outside (storage, messages) are
// untrusted: sanitiseCaptionSettings checks every field, and an invalid one falls back to its
// default alone, so one bad value never loses the others.

export type CaptionEdge = 'none' | 'outline' | 'drop-shadow' | 'raised' | 'depressed';
/** 'default': the programme's own (a TTML document's families; sans for WebVTT and SRT). */
export type CaptionFont = 'default' | 'sans' | 'serif' | 'mono';
export type CaptionPosition = 'default' | 'top';

export interface CaptionSettings {
  /** Text size, percent of the default (50–200). */
  size: number;
  /** '#rrggbb' */
  textColour: string;
  /** 0–1 */
  textOpacity: number;
  /** The backing box behind each line. */
  backgroundColour: string;
  backgroundOpacity: number;
  /** The box around the whole caption (the cue or region). */
  windowColour: string;
  windowOpacity: number;
  edge: CaptionEdge;
  font: CaptionFont;
  /** 'top' moves captions to the top of the picture (e.g. when they would hide something). */
  position: CaptionPosition;
}

/** BBC subtitle guidance: white text on a black backing box at 75 %, no window, no edge. */
export const DEFAULT_CAPTION_SETTINGS: Readonly<CaptionSettings> = Object.freeze({
  size: 100,
  textColour: '#ffffff',
  textOpacity: 1,
  backgroundColour: '#000000',
  backgroundOpacity: 0.75,
  windowColour: '#000000',
  windowOpacity: 0,
  edge: 'none',
  font: 'default',
  position: 'default',
});

export const CAPTION_EDGES: readonly CaptionEdge[] = ['none', 'outline', 'drop-shadow', 'raised', 'depressed'];
export const CAPTION_FONTS: readonly CaptionFont[] = ['default', 'sans', 'serif', 'mono'];
export const CAPTION_POSITIONS: readonly CaptionPosition[] = ['default', 'top'];
export const CAPTION_SIZE_RANGE = { min: 50, max: 200, step: 25 } as const;

const COLOUR = /^#[0-9a-f]{6}$/;

function colour(value: unknown, fallback: string): string {
  return typeof value === 'string' && COLOUR.test(value.toLowerCase()) ? value.toLowerCase() : fallback;
}

function fraction(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1 ? value : fallback;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** Settings from untrusted data (storage, a message): each valid field kept, the rest defaulted. */
export function sanitiseCaptionSettings(value: unknown): CaptionSettings {
  const d = DEFAULT_CAPTION_SETTINGS;
  const v = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const size = typeof v.size === 'number' && Number.isFinite(v.size) ? Math.round(v.size) : d.size;
  return {
    size: Math.min(CAPTION_SIZE_RANGE.max, Math.max(CAPTION_SIZE_RANGE.min, size)),
    textColour: colour(v.textColour, d.textColour),
    textOpacity: fraction(v.textOpacity, d.textOpacity),
    backgroundColour: colour(v.backgroundColour, d.backgroundColour),
    backgroundOpacity: fraction(v.backgroundOpacity, d.backgroundOpacity),
    windowColour: colour(v.windowColour, d.windowColour),
    windowOpacity: fraction(v.windowOpacity, d.windowOpacity),
    edge: oneOf(v.edge, CAPTION_EDGES, d.edge),
    font: oneOf(v.font, CAPTION_FONTS, d.font),
    position: oneOf(v.position, CAPTION_POSITIONS, d.position),
  };
}
