// Opening a programme from the viewer's files: the whole page takes a drop (a folder, a programme
// file, a StoryPlayer story), with an indicator while files are dragged over it, and the Open
// buttons (a folder, or files) do the same from the keyboard. Then it says, in plain language,
// what was opened and what is missing, or why the programme was refused (the validator's
// diagnostics) while what was playing goes on.
import { useCallback, useEffect, useRef, useState } from 'react';

import type { PlayerController } from '../player/controller';
import { OpenError, type FolderEntry } from '../player/local-files';
import { droppedItems, entriesFromDrop, entriesFromFileList, prepareProgramme, type PreparedProgramme } from '../player/open-files';
import type { ProgrammeProblem } from '../player/store';
import { ProgrammeDiagnostics } from './ProgrammeDiagnostics';
import { usePlayer } from './store-context';

/** What the last open came to, as far as this page knows before the engine answers. */
type Attempt = { kind: 'reading' } | { kind: 'sent'; prepared: PreparedProgramme } | { kind: 'failed'; message: string; file: string; pointer: string };

const DROP_HINT = 'a programme folder, a programme file or a StoryPlayer story';
const MEDIA_ACCEPT = '.json,application/json,video/*,audio/*,image/*,.vtt,.srt,.ttml,.xml,.ttf,.otf';

function describe(error: unknown): { message: string; file: string; pointer: string } {
  if (error instanceof OpenError) return { message: error.message, file: error.file, pointer: error.pointer };
  return { message: error instanceof Error ? error.message : String(error), file: '', pointer: '' };
}

export function OpenProgramme({ controller }: { controller: PlayerController }) {
  const [dragging, setDragging] = useState(false);
  const [attempt, setAttempt] = useState<Attempt | null>(null);
  const rejected = usePlayer((s) => s.rejected);
  const loaded = usePlayer((s) => (s.programme?.local ? s.programme.url : null));
  const folderInput = useRef<HTMLInputElement>(null);
  const filesInput = useRef<HTMLInputElement>(null);

  const open = useCallback(
    async (gather: () => Promise<FolderEntry<File>[]>) => {
      setAttempt({ kind: 'reading' });
      try {
        const prepared = await prepareProgramme(await gather());
        controller.openFiles(prepared.programme);
        setAttempt({ kind: 'sent', prepared });
      } catch (error) {
        setAttempt({ kind: 'failed', ...describe(error) });
      }
    },
    [controller],
  );

  // The whole page is the drop target. Only drags carrying files count (not text or links).
  useEffect(() => {
    let inside = 0; // dragenter/dragleave pairs: the page is left when they balance
    const carriesFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files');
    const enter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      inside++;
      setDragging(true);
    };
    const over = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault(); // allows the drop
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const leave = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      inside = Math.max(0, inside - 1);
      if (inside === 0) setDragging(false);
    };
    const drop = (event: DragEvent) => {
      if (!event.dataTransfer || !carriesFiles(event)) return;
      event.preventDefault(); // the browser would otherwise navigate to the file
      inside = 0;
      setDragging(false);
      const items = droppedItems(event.dataTransfer); // readable only during the event
      void open(() => entriesFromDrop(items));
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [open]);

  // React has no prop for webkitdirectory: set it on the element.
  useEffect(() => {
    if (folderInput.current) folderInput.current.webkitdirectory = true;
  }, []);

  const picked = (input: HTMLInputElement) => {
    const files = Array.from(input.files ?? []);
    input.value = ''; // picking the same folder again opens it again
    if (files.length > 0) void open(async () => entriesFromFileList(files));
  };

  return (
    <section className="open-programme" aria-label="Open a programme">
      <div className="open-programme-controls">
        <button type="button" onClick={() => folderInput.current?.click()}>
          Open programme folder…
        </button>
        <button type="button" onClick={() => filesInput.current?.click()}>
          Open programme file…
        </button>
        <span className="open-programme-hint">or drop {DROP_HINT} on the page</span>
        <input ref={folderInput} type="file" multiple hidden autoComplete="off" aria-label="Programme folder" data-testid="open-folder" onChange={(e) => picked(e.currentTarget)} />
        <input ref={filesInput} type="file" multiple hidden autoComplete="off" accept={MEDIA_ACCEPT} aria-label="Programme files" data-testid="open-files" onChange={(e) => picked(e.currentTarget)} />
      </div>
      <div className={dragging ? 'drop-indicator drop-indicator-active' : 'drop-indicator'} aria-hidden={!dragging}>
        <p>Drop to open {DROP_HINT}</p>
      </div>
      <div className="visually-hidden" role="status" aria-live="polite">
        {dragging ? `Drop to open ${DROP_HINT}` : ''}
      </div>
      <OpenOutcome
        attempt={attempt}
        rejected={rejected}
        loaded={loaded}
        onDismiss={() => {
          setAttempt(null);
          controller.dismissRejection();
        }}
      />
    </section>
  );
}

function OpenOutcome({
  attempt,
  rejected,
  loaded,
  onDismiss,
}: {
  attempt: Attempt | null;
  rejected: ProgrammeProblem | null;
  loaded: string | null;
  onDismiss: () => void;
}) {
  if (rejected) {
    return (
      <div className="open-outcome open-refused" role="alert">
        <p className="open-outcome-title">{rejected.file ? `${rejected.file} is not a valid programme.` : 'The programme could not be opened.'} What was playing goes on.</p>
        {rejected.diagnostics && rejected.diagnostics.length > 0 ? (
          <ProgrammeDiagnostics file={rejected.file} diagnostics={rejected.diagnostics} />
        ) : (
          <p>{rejected.message}</p>
        )}
        <button type="button" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    );
  }
  if (!attempt) return null;
  if (attempt.kind === 'reading') {
    return (
      <div className="open-outcome" role="status">
        <p>Reading the files…</p>
      </div>
    );
  }
  if (attempt.kind === 'failed') {
    return (
      <div className="open-outcome open-refused" role="alert">
        <p className="open-outcome-title">Nothing was opened: {attempt.message}</p>
        {attempt.pointer && <p>At {attempt.pointer} in {attempt.file}.</p>}
        <button type="button" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    );
  }
  const { prepared } = attempt;
  const path = prepared.programme.path;
  const alone = prepared.programme.files.size === 1;
  return (
    <div className="open-outcome" role="status">
      <p className="open-outcome-title">
        {loaded === path ? 'Playing' : 'Opening'} {path}
        {prepared.storyplayer ? ', converted from a StoryPlayer story' : ''}.
      </p>
      {prepared.missing.length > 0 && (
        <>
          <p>
            {prepared.missing.length === 1 ? 'A file it uses is' : `${prepared.missing.length} files it uses are`} not among the files opened; it plays
            without {prepared.missing.length === 1 ? 'it' : 'them'}.
            {alone ? ' Open the folder that holds the programme and its media to play everything.' : ''}
          </p>
          <ul className="open-missing" aria-label="Missing files">
            {prepared.missing.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      )}
      {prepared.importWarnings.length > 0 && (
        <details className="open-warnings">
          <summary>
            {prepared.importWarnings.length} {prepared.importWarnings.length === 1 ? 'thing' : 'things'} StoryPlayer does that Tessera does differently
          </summary>
          <ul>
            {prepared.importWarnings.map((line, index) => (
              <li key={`${index}-${line}`}>{line}</li>
            ))}
          </ul>
        </details>
      )}
      <button type="button" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
