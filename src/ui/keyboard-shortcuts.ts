// The player's keyboard shortcuts: which key does what, and when a key belongs to the focused
// control instead (typing in a text field, Space on a button, arrows on a slider). Pure: the
// key event and the focused element are described by plain objects, so it is unit-tested
// without a DOM.

export type ShortcutAction =
  | { type: 'toggle-play' }
  | { type: 'seek-by'; seconds: number }
  | { type: 'toggle-mute' }
  | { type: 'toggle-captions' }
  | { type: 'toggle-fullscreen' }
  | { type: 'toggle-stats' }
  | { type: 'help' }
  /** Jump to a fraction of the programme (digits 0–9: 0–90 %). */
  | { type: 'jump'; fraction: number }
  /** Pick the n-th option of the open choice (digits 1–9; 0-based index). */
  | { type: 'choose'; index: number };

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
}

/** What has focus when the key is pressed. */
export interface FocusTarget {
  /** Upper-case tag name (document.activeElement.tagName). */
  tagName: string;
  /** The type attribute of an <input>. */
  type?: string;
  role?: string | null;
  isContentEditable?: boolean;
}

/** One line of the help overlay. */
export interface ShortcutHelp {
  keys: string[];
  does: string;
}

export const SHORTCUT_HELP: readonly ShortcutHelp[] = [
  { keys: ['Space', 'K'], does: 'Play or pause' },
  { keys: ['←', '→'], does: 'Back or forward 5 seconds' },
  { keys: ['J', 'L'], does: 'Back or forward 10 seconds' },
  { keys: ['M'], does: 'Sound off or on' },
  { keys: ['C'], does: 'Captions on or off' },
  { keys: ['F'], does: 'Full screen on or off' },
  { keys: ['I'], does: 'Show or hide playback statistics' },
  { keys: ['0', '…', '9'], does: 'Jump to 0 % … 90 % of the programme' },
  { keys: ['1', '…', '9'], does: 'While a choice is showing: take that option' },
  { keys: ['?'], does: 'Show this list' },
];

/** Input types that take typed text: every printable key belongs to them. */
const TEXT_INPUTS = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number', 'date', 'time', 'datetime-local', 'month', 'week']);
/** Keys a slider uses itself. */
const SLIDER_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

/** Whether the focused element takes `key` itself, so the shortcut must not fire. */
export function focusTakesKey(target: FocusTarget | null, key: string): boolean {
  if (!target) return false;
  const tag = target.tagName.toUpperCase();
  if (target.isContentEditable || tag === 'TEXTAREA' || tag === 'SELECT') return true;
  const role = target.role ?? '';
  if (role === 'textbox' || role === 'combobox' || role === 'listbox' || role === 'menu' || role === 'menuitem' || role === 'spinbutton') return true;
  if (tag === 'INPUT') {
    const type = (target.type ?? 'text').toLowerCase();
    if (TEXT_INPUTS.has(type)) return true;
    if (type === 'range') return SLIDER_KEYS.has(key);
    if (type === 'checkbox' || type === 'radio' || type === 'button' || type === 'submit' || type === 'reset') return key === ' ' || key === 'Enter';
    if (type === 'color') return key === ' ' || key === 'Enter';
  }
  if (role === 'slider') return SLIDER_KEYS.has(key);
  if (tag === 'BUTTON' || tag === 'SUMMARY' || tag === 'A' || role === 'button' || role === 'checkbox' || role === 'switch' || role === 'tab') {
    return key === ' ' || key === 'Enter';
  }
  return false;
}

/**
 * The action for a key press, or null (not a shortcut, a modifier is held, or the focused control
 * takes the key). `choiceOpen`: digits pick options instead of jumping.
 */
export function shortcutFor(input: KeyInput, focus: FocusTarget | null, choiceOpen: boolean): ShortcutAction | null {
  if (input.ctrlKey || input.altKey || input.metaKey) return null;
  const key = input.key;
  if (focusTakesKey(focus, key)) return null;
  if (/^[0-9]$/.test(key)) {
    const digit = Number(key);
    if (choiceOpen) return digit >= 1 ? { type: 'choose', index: digit - 1 } : null;
    return { type: 'jump', fraction: digit / 10 };
  }
  switch (key.length === 1 ? key.toLowerCase() : key) {
    case ' ':
    case 'k':
      return { type: 'toggle-play' };
    case 'ArrowLeft':
      return { type: 'seek-by', seconds: -5 };
    case 'ArrowRight':
      return { type: 'seek-by', seconds: 5 };
    case 'j':
      return { type: 'seek-by', seconds: -10 };
    case 'l':
      return { type: 'seek-by', seconds: 10 };
    case 'm':
      return { type: 'toggle-mute' };
    case 'c':
      return { type: 'toggle-captions' };
    case 'f':
      return { type: 'toggle-fullscreen' };
    case 'i':
      return { type: 'toggle-stats' };
    case '?':
      return { type: 'help' };
    default:
      return null;
  }
}
