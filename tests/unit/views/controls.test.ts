// @vitest-environment happy-dom
// The call's keyboard shortcuts and the name card's initials.
import { describe, expect, it } from 'vitest';
import { initialsOf } from '../../../src/views/initials.ts';
import { isTextField, keyboardToggle } from '../../../src/views/shortcuts.ts';

const press = (key: string, target: EventTarget | null, mods: Partial<KeyboardEvent> = { ctrlKey: true }) =>
  keyboardToggle({ key, target, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, repeat: false, ...mods });

describe('keyboard shortcuts', () => {
  it('Ctrl+D toggles the microphone and Ctrl+E the camera; Cmd works as Ctrl', () => {
    expect(press('d', document.body)).toBe('microphone');
    expect(press('E', document.body)).toBe('camera');
    expect(press('d', document.body, { metaKey: true })).toBe('microphone');
  });

  it('never fires while typing in a text field', () => {
    const input = document.createElement('input');
    const textarea = document.createElement('textarea');
    const search = Object.assign(document.createElement('input'), { type: 'search' });
    for (const field of [input, textarea, search]) {
      expect(isTextField(field)).toBe(true);
      expect(press('d', field)).toBeNull();
      expect(press('e', field)).toBeNull();
    }
    const checkbox = Object.assign(document.createElement('input'), { type: 'checkbox' });
    expect(press('d', checkbox)).toBe('microphone');
    expect(press('d', document.createElement('button'))).toBe('microphone');
  });

  it('ignores other keys, plain letters, extra modifiers and key repeat', () => {
    expect(press('d', document.body, {})).toBeNull();
    expect(press('k', document.body)).toBeNull();
    expect(press('d', document.body, { ctrlKey: true, shiftKey: true })).toBeNull();
    expect(press('d', document.body, { ctrlKey: true, altKey: true })).toBeNull();
    expect(press('d', document.body, { ctrlKey: true, repeat: true })).toBeNull();
  });
});

describe('initials', () => {
  it('takes the first letters of up to two words, in any script', () => {
    expect(initialsOf('Ada Lovelace')).toBe('AL');
    expect(initialsOf('alice')).toBe('A');
    expect(initialsOf('  jean  paul  sartre ')).toBe('JP');
    expect(initialsOf('😀 smile')).toBe('😀S');
    expect(initialsOf('   ')).toBe('?');
  });
});
