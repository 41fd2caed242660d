// Tessera programme format, version 1: the TypeScript view of the JSON a producer writes.
// The contract is docs/programme-format.md; src/programme/programme.schema.json and these types
// must agree with it (a test validates the sample programme against both).
//
// Times are seconds (numbers). Conditions are JSONLogic rules (docs/json-logic.md) evaluated by
// the engine against the viewer's context: every declared variable by name, plus `choices`
// (scene id → option id taken) and `path` (scene ids played so far).

/** A JSONLogic rule: any JSON value; objects with one operator key are operations. */
export type Condition = unknown;

export type VariableType = 'boolean' | 'number' | 'string' | 'list';

/** Viewer-context keys the player fills in from the device, settings and clock. */
export type ContextKey =
  | 'deviceClass' // "tv" | "desktop" | "tablet" | "phone"
  | 'orientation' // "landscape" | "portrait" | "square"
  | 'aspectRatio' // width / height of the viewport
  | 'language' // BCP 47, e.g. "en", "cy"
  | 'captions' // boolean
  | 'captionsLanguage'
  | 'signLanguage' // boolean
  | 'audioDescription' // boolean
  | 'dialogueBalance' // 0 (broadcast mix) … 1 (clearest dialogue)
  | 'timeAvailable' // seconds; absent = no limit
  | 'timeOfDay' // hour, 0–23.99
  | 'dayOfWeek' // 0 = Sunday … 6
  | 'randomSeed'; // integer, fixed per viewing

export interface Variable {
  type: VariableType;
  default: boolean | number | string | unknown[];
  description?: string;
  /** Filled from the viewer's context rather than by the story. */
  context?: ContextKey;
  /** numbers: inclusive range */
  min?: number;
  max?: number;
  /** strings (and list items): the allowed values */
  values?: (string | number)[];
}

export type AssetType = 'video' | 'audio' | 'captions' | 'image' | 'graphic' | 'font';

export type AudioRole =
  | 'dialogue'
  | 'narration'
  | 'music'
  | 'effects'
  | 'ambience'
  | 'description'
  | 'sign'
  | 'presenter'
  | 'other';

/** A point of interest in a shot, in the asset's own normalised coordinates (0–1). */
export interface RegionOfInterest {
  /** seconds into the asset from which this region applies */
  at: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Asset {
  type: AssetType;
  /** URL or path relative to the programme file. Absent only for `graphic` (drawn by the engine). */
  src?: string;
  /** Media duration in seconds (before trimming). */
  duration?: number;
  /** Portion of the media used: seconds into the source. */
  trim?: { in?: number; out?: number };
  language?: string;
  role?: AudioRole;
  /** Narrative importance of audio: 3 essential, 2 important, 1 nice to have, 0 expendable. */
  importance?: 0 | 1 | 2 | 3;
  /**
   * Audio: the asset's integrated loudness in LUFS (ITU-R BS.1770), -70..0. The engine normalises
   * the object by (target - loudness); without it the asset is taken to be at -23 LUFS already.
   */
  loudness?: number;
  /** Audio description (`role: "description"`): how it ducks the rest of the mix while it speaks. */
  duck?: AudioDuck;
  /** Video and image: regions of interest for reframing, in time order. */
  regionsOfInterest?: RegionOfInterest[];
  /** Captions: "webvtt" | "srt" | "ttml" (guessed from the file extension when absent). */
  format?: 'webvtt' | 'srt' | 'ttml';
  /** Graphic: what the engine draws (see Graphic). */
  graphic?: Graphic;
  description?: string;
}

/** Ducking by an audio description while it speaks (defaults: -12 dB, 0.25 s, 0.5 s). */
export interface AudioDuck {
  /** Gain of the rest of the mix while the description speaks, dB, -40..0. */
  depth?: number;
  /** Seconds to reach the depth, finishing as the speech starts (the engine looks ahead), 0..2. */
  attack?: number;
  /** Seconds back to full level after the speech ends, 0..5. */
  release?: number;
}

/** "#rrggbb" or "#rrggbbaa" (alpha last, straight, not premultiplied). */
export type Colour = string;

/** CSS timing functions; a tuple is cubic-bezier(x1, y1, x2, y2) with x1, x2 in 0–1. "step" holds until the next keyframe. */
export type Easing = 'linear' | 'ease' | 'ease-in' | 'ease-out' | 'ease-in-out' | 'step' | [number, number, number, number];

/** Sets some animated properties at a time; each property interpolates between the keyframes that set it. */
export interface Keyframe {
  /** Seconds from the object's start; keyframes are in increasing time order. */
  at: number;
  /** Offset from the element's position, in design units. */
  x?: number;
  y?: number;
  /** Scale about the element's anchor (1 = as designed). */
  scale?: number;
  /** 0–1, multiplied with the element's opacity. */
  opacity?: number;
  /** Shapes the way to the next keyframe that sets the same property. Default "linear". */
  easing?: Easing;
}

interface GraphicElementBase {
  /** For producers' tools; not interpreted. */
  id?: string;
  /** 0–1, default 1. */
  opacity?: number;
  /** The point scaling is about, as fractions of the element's bounds. Default { x: 0.5, y: 0.5 }. */
  anchor?: { x: number; y: number };
  keyframes?: Keyframe[];
}

export interface GraphicRect extends GraphicElementBase {
  type: 'rect';
  x: number;
  y: number;
  width: number;
  height: number;
  /** Corner radius in design units (default 0). */
  radius?: number;
  fill?: Colour;
  /** Centred on the edge. */
  stroke?: Colour;
  /** Default 1. */
  strokeWidth?: number;
}

export interface GraphicPath extends GraphicElementBase {
  type: 'path';
  /** SVG path data: M L H V C S Q T Z (absolute or relative), in design units. No arcs. */
  d: string;
  /** Default "nonzero". */
  fillRule?: 'nonzero' | 'evenodd';
  fill?: Colour;
  /** Round joins and caps. */
  stroke?: Colour;
  strokeWidth?: number;
}

export interface GraphicImage extends GraphicElementBase {
  type: 'image';
  /** An image asset id. */
  asset: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** "contain" (default): the whole image, letterboxed; "cover": the box filled, overflow cropped. */
  fit?: 'contain' | 'cover';
}

export interface GraphicText extends GraphicElementBase {
  type: 'text';
  /** Top-left of the first line box, in design units. */
  x: number;
  y: number;
  /** Lines break to fit this width and align inside it. */
  width: number;
  /** "{name}" shows a variable (or viewer-context value); "{{" and "}}" are literal braces. */
  text: string;
  /** A font asset id. */
  font: string;
  /** Font size (the em square, as CSS font-size), in design units. */
  size: number;
  /** Default "#ffffff". */
  fill?: Colour;
  /** Default "left". */
  align?: 'left' | 'centre' | 'center' | 'right';
  /** Multiple of size between baselines, default 1.2. */
  lineHeight?: number;
  /** Lines beyond this are cut and the last shown line ends with "…". */
  maxLines?: number;
}

export type GraphicElement = GraphicRect | GraphicPath | GraphicImage | GraphicText;

/** A graphic asset's drawing: a design canvas, scaled uniformly into the placement's region and centred. */
export interface Graphic {
  width: number;
  height: number;
  /** Drawn in order: later elements are on top. */
  elements: GraphicElement[];
}

export interface Placement {
  /** Unique within the scene. */
  id: string;
  asset: string;
  /** Seconds from the start of the scene; default 0. */
  start?: number;
  /** Seconds from the start of the scene; default start + the asset's (trimmed) duration. */
  end?: number;
  /** Compositing order: higher is nearer the viewer. Default 0. */
  layer?: number;
  /** A region name from the active layout. Default "full". */
  region?: string;
  /** Included only when this condition is truthy. */
  when?: Condition;
  /** Audio gain in dB (default 0). */
  gain?: number;
  fadeIn?: number;
  fadeOut?: number;
}

export interface Alternative {
  id: string;
  when?: Condition;
  /** Replaces the scene's objects when chosen. */
  objects: Placement[];
}

export interface Link {
  scene: string;
  when?: Condition;
}

export interface ChoiceOption {
  id: string;
  label: string;
  scene: string;
  /** Offered only when truthy. */
  when?: Condition;
  /** Story variables set when this option is taken. */
  set?: Record<string, boolean | number | string | unknown[]>;
}

export interface Choice {
  prompt?: string;
  options: ChoiceOption[];
  /** Seconds the options stay on screen (from `at`). Absent: wait for the viewer. */
  timeout?: number;
  /** Option id taken on timeout. */
  default?: string;
  /** When the choice opens, seconds from the scene start (default: the scene's end). */
  at?: number;
  /** Once taken, not offered again on a later visit (the previous answer applies). */
  oneShot?: boolean;
}

export interface Transition {
  kind: 'cut' | 'crossfade' | 'dip';
  /** Seconds (at most 10); required except for a cut. */
  duration?: number;
  /** Dip colour, "#rrggbb"; default black. */
  colour?: string;
}

export interface Scene {
  title?: string;
  /** Seconds; default the latest end of its objects. */
  duration?: number;
  objects?: Placement[];
  /** Tried in order; the first whose condition is truthy replaces `objects`. */
  alternatives?: Alternative[];
  /**
   * Variable length: optional scenes may be trimmed (down to minDuration) or dropped to fit the
   * viewer's time available. Lower priority goes first.
   */
  optional?: { priority: number; minDuration?: number };
  /** Links, tried in order: the first whose condition holds is followed. */
  next?: Link[];
  choice?: Choice;
  /**
   * How the scene comes in from the one before. A crossfade overlaps the two scenes by its
   * duration (the path gets shorter by it); a dip fades out to `colour` and in from it.
   */
  transition?: Transition;
  /** Plays a nested sub-programme (key of `programmes`) in place of objects. */
  programme?: string;
  /** Story variables set when the scene starts. */
  set?: Record<string, boolean | number | string | unknown[]>;
  /** Where the scene came from (imports keep their source ids here). */
  source?: { format: string; id: string };
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Layout {
  /** Applies when this condition holds; layouts are tried in declaration order. */
  when?: Condition;
  width: number;
  height: number;
  /** Title/action safe area in pixels. */
  safeArea?: Rect;
  /** Named regions in pixels; "full" is implied (the whole frame). */
  regions: Record<string, Rect & { fit?: 'cover' | 'contain' | 'roi' }>;
}

export interface Beginning {
  scene: string;
  when?: Condition;
}

export interface SubProgramme {
  title?: string;
  beginnings: Beginning[];
  scenes: Record<string, Scene>;
}

export interface Programme {
  format: 'tessera-programme';
  version: 1;
  id: string;
  title: string;
  description?: string;
  variables?: Record<string, Variable>;
  assets: Record<string, Asset>;
  layouts: Record<string, Layout>;
  beginnings: Beginning[];
  scenes: Record<string, Scene>;
  programmes?: Record<string, SubProgramme>;
  /** Where the programme came from (e.g. a StoryPlayer import). */
  source?: { format: string; id?: string; warnings?: number };
}
