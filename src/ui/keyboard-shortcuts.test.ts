import { describe, expect, it } from 'vitest';

import { focusTakesKey, shortcutFor, type FocusTarget } from './keyboard-shortcuts';

const body: FocusTarget = { tagName: 'BODY' };
const button: FocusTarget = { tagName: 'BUTTON' };
const slider: FocusTarget = { tagName: 'INPUT', type: 'range' };
const text: FocusTarget = { tagName: 'INPUT', type: 'text' };

describe('shortcutFor', () => {
  it('maps the player keys', () => {
    expect(shortcutFor({ key: ' ' }, body, false)).toEqual({ type: 'toggle-play' });
    expect(shortcutFor({ key: 'k' }, body, false)).toEqual({ type: 'toggle-play' });
    expect(shortcutFor({ key: 'K' }, body, false)).toEqual({ type: 'toggle-play' });
    expect(shortcutFor({ key: 'ArrowLeft' }, body, false)).toEqual({ type: 'seek-by', seconds: -5 });
    expect(shortcutFor({ key: 'ArrowRight' }, body, false)).toEqual({ type: 'seek-by', seconds: 5 });
    expect(shortcutFor({ key: 'j' }, body, false)).toEqual({ type: 'seek-by', seconds: -10 });
    expect(shortcutFor({ key: 'l' }, body, false)).toEqual({ type: 'seek-by', seconds: 10 });
    expect(shortcutFor({ key: 'm' }, body, false)).toEqual({ type: 'toggle-mute' });
    expect(shortcutFor({ key: 'c' }, body, false)).toEqual({ type: 'toggle-captions' });
    expect(shortcutFor({ key: 'f' }, body, false)).toEqual({ type: 'toggle-fullscreen' });
    expect(shortcutFor({ key: 'i' }, body, false)).toEqual({ type: 'toggle-stats' });
    expect(shortcutFor({ key: '?' }, body, false)).toEqual({ type: 'help' });
    expect(shortcutFor({ key: 'x' }, body, false)).toBeNull();
    expect(shortcutFor({ key: 'Enter' }, body, false)).toBeNull();
  });

  it('jumps to tenths with digits, or picks options while a choice is open', () => {
    expect(shortcutFor({ key: '0' }, body, false)).toEqual({ type: 'jump', fraction: 0 });
    expect(shortcutFor({ key: '7' }, body, false)).toEqual({ type: 'jump', fraction: 0.7 });
    expect(shortcutFor({ key: '1' }, body, true)).toEqual({ type: 'choose', index: 0 });
    expect(shortcutFor({ key: '9' }, body, true)).toEqual({ type: 'choose', index: 8 });
    expect(shortcutFor({ key: '0' }, body, true)).toBeNull();
  });

  it('leaves keys with modifiers to the browser', () => {
    expect(shortcutFor({ key: 'f', ctrlKey: true }, body, false)).toBeNull();
    expect(shortcutFor({ key: 'l', metaKey: true }, body, false)).toBeNull();
    expect(shortcutFor({ key: 'ArrowLeft', altKey: true }, body, false)).toBeNull();
  });

  it('leaves keys to the focused control that uses them', () => {
    expect(shortcutFor({ key: ' ' }, button, false)).toBeNull(); // Space presses the button
    expect(shortcutFor({ key: 'k' }, button, false)).toEqual({ type: 'toggle-play' });
    expect(shortcutFor({ key: 'ArrowLeft' }, slider, false)).toBeNull(); // the slider moves
    expect(shortcutFor({ key: ' ' }, slider, false)).toEqual({ type: 'toggle-play' });
    expect(shortcutFor({ key: 'k' }, text, false)).toBeNull(); // typing
    expect(shortcutFor({ key: '5' }, { tagName: 'TEXTAREA' }, false)).toBeNull();
    expect(shortcutFor({ key: 'c' }, { tagName: 'SELECT' }, false)).toBeNull(); // type-ahead
    expect(shortcutFor({ key: 'c' }, { tagName: 'DIV', isContentEditable: true }, false)).toBeNull();
    expect(shortcutFor({ key: ' ' }, { tagName: 'INPUT', type: 'checkbox' }, false)).toBeNull();
    expect(shortcutFor({ key: 'ArrowRight' }, { tagName: 'DIV', role: 'slider' }, false)).toBeNull();
  });

  it('knows which keys a focused control takes', () => {
    expect(focusTakesKey(null, ' ')).toBe(false);
    expect(focusTakesKey(slider, 'Home')).toBe(true);
    expect(focusTakesKey(slider, 'm')).toBe(false);
    expect(focusTakesKey({ tagName: 'SUMMARY' }, 'Enter')).toBe(true);
  });
});
