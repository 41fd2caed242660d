// The engine's answers about a programme, as TypeScript sees them: validation reports, plans
// (docs/programme-format.md, "The plan"), re-resolution changes and path enumerations.

export interface Diagnostic {
  severity: 'error' | 'warning' | 'info';
  /** RFC 6901 JSON pointer into the programme ("" = the whole document). */
  pointer: string;
  message: string;
  /** 1-based; 0 when not located. */
  line: number;
  column: number;
}

export interface ValidationReport {
  ok: boolean;
  errors: number;
  warnings: number;
  truncated: boolean;
  diagnostics: Diagnostic[];
}

/** Why a decision was made: the condition, its result and the values it read. */
export interface Reason {
  pointer?: string;
  rule?: unknown;
  result?: boolean;
  values?: Record<string, unknown>;
  message?: string;
  error?: string;
  region?: string;
}

export interface PlanRegion {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
  fit: 'cover' | 'contain' | 'roi';
}

export interface PlanObject {
  /** "scene/placement" ("scene#2/…" on a revisit, "parent/sub/…" in sub-programmes). */
  id: string;
  scene: string;
  placement: string;
  asset: string;
  type: 'video' | 'audio' | 'captions' | 'image' | 'graphic' | 'font' | 'unknown';
  src?: string;
  language?: string;
  role?: string;
  importance?: number;
  start: number;
  end: number;
  mediaIn: number;
  layer: number;
  region: PlanRegion | null;
  gainDb: number;
  fadeIn: number;
  fadeOut: number;
  reason: Reason;
}

export interface PlanChoiceOption {
  id: string;
  label: string;
  scene: string;
  available: boolean;
  reason: Reason;
}

export interface PlanChoice {
  prompt: string;
  options: PlanChoiceOption[];
  at: number;
  timeout: number | null;
  default: string | null;
  oneShot: boolean;
  taken: string | null;
  assumed?: string;
  reason: string;
}

export interface PlanScene {
  scene: string;
  id: string;
  programme?: string;
  title?: string;
  source?: { format: string; id: string };
  start: number;
  duration: number;
  end: number;
  fullDuration: number;
  alternative: string | null;
  alternatives?: (Reason & { alternative: string })[];
  optional?: { priority: number; minDuration: number };
  via?: { beginning?: Reason; choice?: string };
  next?: { scene: string; reason: Reason; rejected?: { scene: string; reason: Reason }[] };
  choice?: PlanChoice;
}

export interface FitDecision {
  scene: string;
  action: 'trimmed' | 'dropped';
  priority: number;
  from: number;
  to: number;
  reason: string;
}

export interface Plan {
  programme: string;
  layout: {
    id: string;
    width: number;
    height: number;
    safeArea?: { x: number; y: number; width: number; height: number };
    reason: Reason;
    rejected?: { id: string; reason: Reason }[];
  };
  context: Record<string, unknown>;
  duration: number;
  timeAvailable: number | null;
  fit: { applied: boolean; originalDuration: number; duration: number; decisions: FitDecision[]; shortfall?: number };
  path: PlanScene[];
  objects: PlanObject[];
  excluded: { id: string; asset: string; reason: Reason }[];
  end: { kind: 'ending' | 'dead-end' | 'awaiting-choice' | 'truncated' | 'no-beginning'; scene?: string; message?: string };
  warnings: string[];
}

export interface PlanChanges {
  position: number;
  added: PlanObject[];
  removed: { id: string; asset: string }[];
  changed: { id: string; fields: Record<string, [unknown, unknown]> }[];
  layoutChanged: boolean;
  pathChanged: boolean;
  duration: [number, number];
}

export interface PathsReport {
  paths: string[][];
  truncated: boolean;
  cycles: string[][];
  unreachable: string[];
  deadEnds: string[];
}
