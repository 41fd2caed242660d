// Opening a programme from the viewer's files: gathers what was dropped on the page (folders
// walked with the File and Directory Entries API) or picked with the Open control, finds the
// programme among the files, converts a StoryPlayer story (timing it with its media's durations),
// and says what the viewer should know (media missing, the importer's warnings). The player then
// opens it (PlayerController.openFiles); the engine's validator has the last word.
import { FOLDER_LIMITS, OpenError, findProgramme, folderFiles, missingAssets, resolveAssetPath, type FolderEntry, type FolderLimits } from './local-files';
import type { LocalProgramme } from './protocol';

export interface PreparedProgramme {
  programme: LocalProgramme;
  /** The files opened were a StoryPlayer story, converted (docs/storyplayer-import.md). */
  storyplayer: boolean;
  /** Why media the programme names cannot be read (it plays without them), one line each. */
  missing: string[];
  /** The importer's warnings for a converted story: "message (at /pointer in the story)". */
  importWarnings: string[];
}

/** Files picked with a file input: their path in the picked folder, or their name. */
export function entriesFromFileList(files: Iterable<File>): FolderEntry<File>[] {
  return [...files].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/** What was dropped: a file or folder entry, or a plain file where the browser gives no entry. */
export type DroppedItem = FileSystemEntry | File;

/**
 * The dropped items. Call it in the drop event itself: a DataTransfer's items are readable only
 * while the event is dispatched.
 */
export function droppedItems(data: DataTransfer): DroppedItem[] {
  const items: DroppedItem[] = [];
  for (const item of Array.from(data.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.() ?? null;
    const file = entry ? null : item.getAsFile();
    if (entry) items.push(entry);
    else if (file) items.push(file);
  }
  if (items.length === 0) items.push(...Array.from(data.files));
  return items;
}

const isFileEntry = (entry: FileSystemEntry): entry is FileSystemFileEntry => entry.isFile;
const isDirectoryEntry = (entry: FileSystemEntry): entry is FileSystemDirectoryEntry => entry.isDirectory;

function readBatch(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

/**
 * Every file under the dropped items, with its path (folders walked, within the limits: a drop
 * with too many files or too deep a tree is refused as soon as that shows).
 */
export async function entriesFromDrop(items: readonly DroppedItem[], limits: FolderLimits = FOLDER_LIMITS): Promise<FolderEntry<File>[]> {
  const out: FolderEntry<File>[] = [];
  const add = (path: string, file: File) => {
    out.push({ path, file });
    if (out.length > limits.files) throw new OpenError(`there are more than ${limits.files} files; Tessera opens folders of up to ${limits.files}`);
  };
  const walk = async (entry: FileSystemEntry, depth: number): Promise<void> => {
    const path = entry.fullPath.replace(/^\/+/, '') || entry.name;
    if (isFileEntry(entry)) {
      add(path, await new Promise<File>((resolve, reject) => entry.file(resolve, reject)));
    } else if (isDirectoryEntry(entry)) {
      if (depth > limits.depth) throw new OpenError(`${path} is more than ${limits.depth} folders deep; Tessera opens folders up to that depth`);
      const reader = entry.createReader();
      // readEntries hands a folder over in batches (Chromium: 100 at a time) until an empty one.
      for (let batch = await readBatch(reader); batch.length > 0; batch = await readBatch(reader)) {
        for (const child of batch) await walk(child, depth + 1);
      }
    }
  };
  for (const item of items) {
    if (item instanceof File) add(item.name, item);
    else await walk(item, 0);
  }
  return out;
}

/** Finds the programme among the opened files and makes it ready to open (a story converted). */
export async function prepareProgramme(entries: Iterable<FolderEntry<File>>, limits: FolderLimits = FOLDER_LIMITS): Promise<PreparedProgramme> {
  const files = folderFiles(entries, limits);
  const found = await findProgramme(files, limits);
  if (found.kind !== 'storyplayer') {
    return { programme: { path: found.path, text: found.text, files }, storyplayer: false, missing: missingAssets(found.doc, found.path, files), importWarnings: [] };
  }
  const { importStoryPlayer, StoryPlayerImportError } = await import('../programme/import/storyplayer');
  const convert = (durations?: Record<string, number>) => {
    try {
      return importStoryPlayer(found.doc, durations ? { durations } : {});
    } catch (error) {
      if (error instanceof StoryPlayerImportError) throw new OpenError(`${found.path} could not be converted from StoryPlayer: ${error.message}`, found.path, error.path);
      throw error;
    }
  };
  let result = convert();
  // StoryPlayer reads durations from the media; the importer needs them: read the opened media's.
  const durations = await mediaDurations(result.programme.assets, found.path, files);
  if (Object.keys(durations).length > 0) result = convert(durations);
  const { programme, warnings } = result;
  return {
    programme: { path: found.path, text: JSON.stringify(programme), files },
    storyplayer: true,
    missing: missingAssets(programme, found.path, files),
    importWarnings: warnings.map((w) => `${w.message}${w.path ? ` (at ${w.path})` : ''}`),
  };
}

/** The durations of the timed media among the files, keyed by the `src` the story gives them. */
async function mediaDurations(assets: Record<string, { type: string; src?: string }>, programmePath: string, files: ReadonlyMap<string, File>): Promise<Record<string, number>> {
  const wanted = new Map<string, File>();
  for (const asset of Object.values(assets)) {
    if ((asset.type !== 'video' && asset.type !== 'audio') || !asset.src) continue;
    const where = resolveAssetPath(programmePath, asset.src);
    const file = 'path' in where ? files.get(where.path) : undefined;
    if (file) wanted.set(asset.src, file);
  }
  if (wanted.size === 0) return {};
  const { mediaDuration } = await import('../media/media-duration');
  const durations: Record<string, number> = {};
  for (const [src, file] of wanted) {
    const seconds = await mediaDuration(file);
    if (seconds !== null) durations[src] = seconds;
  }
  return durations;
}
