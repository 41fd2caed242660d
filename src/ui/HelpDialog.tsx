// The keyboard shortcuts, in a modal dialog: focus stays inside it (Tab wraps), Esc or the Close
// button closes it, and focus returns to what had it before.
import { useEffect, useRef, type KeyboardEvent } from 'react';

import { SHORTCUT_HELP } from './keyboard-shortcuts';

export function HelpDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      element.showModal();
      element.querySelector<HTMLElement>('button')?.focus();
    } else if (!open && element.open) {
      element.close();
    }
  }, [open]);

  // Closing by any route (Esc, the button) puts focus back on the control that opened it.
  const onDialogClose = () => {
    onClose();
    const target = returnTo.current;
    returnTo.current = null;
    if (target?.isConnected) target.focus();
  };

  // showModal makes the page inert, but Tab can still leave for the browser's own controls: wrap.
  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab') return;
    const focusable = [...(dialog.current?.querySelectorAll<HTMLElement>('button, [href], [tabindex]:not([tabindex="-1"])') ?? [])];
    if (focusable.length === 0) return;
    const first = focusable[0]!;
    const last = focusable[focusable.length - 1]!;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog ref={dialog} className="help-dialog" aria-labelledby="help-title" onClose={onDialogClose} onKeyDown={onKeyDown}>
      <h2 id="help-title">Keyboard shortcuts</h2>
      <table className="help-keys">
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">What they do</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUT_HELP.map((line) => (
            <tr key={line.does}>
              <td>
                {line.keys.map((key, i) => (key === '…' ? <span key={i}> to </span> : <kbd key={i}>{key}</kbd>))}
              </td>
              <td>{line.does}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>Shortcuts wait while you type in a field; a focused slider keeps its arrow keys. On the position slider, Page Up and Page Down move by chapter.</p>
      <button type="button" onClick={() => dialog.current?.close()}>
        Close
      </button>
    </dialog>
  );
}
