// A programme opened from the viewer's own files (a folder or files dropped on the page, or picked
// with the Open control): the files by path, within limits (the input is untrusted), the
// programme found among them, and its assets' relative references resolved against them. Pure, no
// DOM: the page gathers the files (open-files.ts), the engine worker resolves assets with
// resolveAssetPath.

/** Bounds on what a drop may hold. */
export interface FolderLimits {
  /** Files in all (a drop with more is refused, not cut short). */
  files: number;
  /** Folder levels below the drop (deeper files are refused). */
  depth: number;
  /** Bytes of JSON read to find the programme, over all the JSON files read. */
  jsonBytes: number;
}

export const FOLDER_LIMITS: FolderLimits = { files: 5000, depth: 16, jsonBytes: 64 * 1024 * 1024 };

/** A file and where it is, relative to what was dropped ("show/media/intro.webm"). */
export interface FolderEntry<F> {
  path: string;
  file: F;
}

/** Why a drop or a pick could not be opened, in plain language (shown as it is). */
export class OpenError extends Error {
  constructor(
    message: string,
    /** The file it is about, when there is one. */
    readonly file = '',
    /** A JSON pointer into that file, when known. */
    readonly pointer = '',
  ) {
    super(message);
    this.name = 'OpenError';
  }
}

/**
 * A relative path made canonical ("./a//b" → "a/b"), or null when it is not a path inside the
 * folder (empty, absolute, or climbing above it with "..").
 */
export function folderPath(path: string): string | null {
  if (path.startsWith('/') || path.includes('\\') || path.includes('\0')) return null;
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(segment);
  }
  return out.length === 0 ? null : out.join('/');
}

/** The folder a file is in ("" for the top of the drop). */
export function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export type AssetPath = { path: string } | { problem: string };

/**
 * Where an asset's `src` (a relative URL, as in a programme on a web server) points among the
 * opened files, from the programme at `programmePath`. Absolute URLs, site-absolute paths and
 * paths climbing out of what was opened are refused: a dropped programme reads only the files
 * the viewer gave it.
 */
export function resolveAssetPath(programmePath: string, src: string): AssetPath {
  if (/^[a-z][a-z0-9+.-]*:/i.test(src)) return { problem: `${src} is an address, not a file beside the programme` };
  if (src.startsWith('/')) return { problem: `${src} is a path on a web site, not a file beside the programme` };
  const bare = src.replace(/[?#].*$/s, '');
  let decoded: string;
  try {
    decoded = decodeURIComponent(bare);
  } catch {
    return { problem: `${src} is not a well-formed relative address` };
  }
  const dir = directoryOf(programmePath);
  const path = folderPath(dir === '' ? decoded : `${dir}/${decoded}`);
  if (path === null) return { problem: `${src} points outside the opened folder` };
  return { path };
}

/**
 * The opened files by path. Refuses a drop with too many files or files too deep (rather than
 * opening part of it); paths that are not inside the drop are skipped.
 */
export function folderFiles<F>(entries: Iterable<FolderEntry<F>>, limits: FolderLimits = FOLDER_LIMITS): Map<string, F> {
  const files = new Map<string, F>();
  for (const { path, file } of entries) {
    const clean = folderPath(path);
    if (clean === null) continue;
    if (clean.split('/').length - 1 > limits.depth) {
      throw new OpenError(`${clean} is more than ${limits.depth} folders deep; Tessera opens folders up to that depth`);
    }
    files.set(clean, file);
    if (files.size > limits.files) throw new OpenError(`there are more than ${limits.files} files; Tessera opens folders of up to ${limits.files}`);
  }
  if (files.size === 0) throw new OpenError('nothing was opened: no files');
  return files;
}

export type ProgrammeKind = 'tessera' | 'storyplayer';

/** What a parsed JSON document is: a Tessera programme, a StoryPlayer experience, or neither. */
export function programmeKind(doc: unknown): ProgrammeKind | null {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return null;
  const record = doc as Record<string, unknown>;
  if (record.format === 'tessera-programme') return 'tessera';
  // StoryPlayer (object-based-media-schema): stories and narrative elements, as arrays or by id.
  const collection = (v: unknown) => typeof v === 'object' && v !== null;
  if (collection(record.stories) && collection(record.narrative_elements)) return 'storyplayer';
  return null;
}

const isJson = (path: string) => /\.json$/i.test(path);
const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const depthOf = (path: string) => path.split('/').length;

/** The programme found among the opened files. */
export interface FoundProgramme {
  path: string;
  text: string;
  kind: ProgrammeKind | null;
  /** The parsed document (null: not JSON; the engine's validator says where). */
  doc: unknown;
}

/** A file's size and text (File and Blob have both). */
export interface Readable {
  readonly size: number;
  text(): Promise<string>;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/**
 * The programme among the opened files: a file named programme.json (the shallowest one), else the
 * one JSON file that is a Tessera programme or a StoryPlayer experience, else the only JSON file
 * there is (which the validator then explains). Two candidates at the same level are ambiguous.
 */
export async function findProgramme(files: ReadonlyMap<string, Readable>, limits: FolderLimits = FOLDER_LIMITS): Promise<FoundProgramme> {
  const json = [...files.keys()].filter(isJson).sort((a, b) => depthOf(a) - depthOf(b) || a.localeCompare(b));
  if (json.length === 0) throw new OpenError('there is no programme among the opened files (no .json file)');
  let budget = limits.jsonBytes;
  const read = async (path: string): Promise<FoundProgramme> => {
    const file = files.get(path)!;
    if (file.size > budget) throw new OpenError(`${path} is too large to be a programme (over ${Math.round(limits.jsonBytes / 1024 / 1024)} MiB of JSON)`, path);
    budget -= file.size;
    const text = await file.text();
    const doc = parse(text);
    return { path, text, kind: programmeKind(doc), doc };
  };

  const named = json.filter((p) => baseName(p).toLowerCase() === 'programme.json');
  if (named.length > 0) {
    const top = named.filter((p) => depthOf(p) === depthOf(named[0]!));
    if (top.length > 1) throw new OpenError(`there are several programmes (${top.join(', ')}); open one folder per programme`);
    return read(top[0]!);
  }
  if (json.length === 1) return read(json[0]!);
  const found: FoundProgramme[] = [];
  for (const path of json) {
    const candidate = await read(path);
    if (candidate.kind !== null) found.push(candidate);
  }
  if (found.length === 1) return found[0]!;
  if (found.length === 0) throw new OpenError(`none of the JSON files is a Tessera programme or a StoryPlayer story (${json.slice(0, 5).join(', ')}${json.length > 5 ? ', …' : ''})`);
  throw new OpenError(`there are several programmes (${found.map((f) => f.path).join(', ')}); open one folder per programme, or name the one to play programme.json`);
}

/** The asset files a programme names that are not among the opened files (with why), in order. */
export function missingAssets(doc: unknown, programmePath: string, files: ReadonlyMap<string, unknown>): string[] {
  const assets = (doc as { assets?: unknown } | null)?.assets;
  if (typeof assets !== 'object' || assets === null) return [];
  const missing: string[] = [];
  for (const asset of Object.values(assets as Record<string, unknown>)) {
    const src = (asset as { src?: unknown } | null)?.src;
    if (typeof src !== 'string') continue;
    const where = resolveAssetPath(programmePath, src);
    if ('problem' in where) missing.push(where.problem);
    else if (!files.has(where.path)) missing.push(`${src} is not among the opened files`);
  }
  return [...new Set(missing)];
}
