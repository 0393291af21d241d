// The call's keyboard shortcuts: Ctrl+D (Cmd+D on a Mac) toggles the microphone, Ctrl+E (Cmd+E)
// the camera. None fires while the person types in a text field.

const NOT_TEXT = new Set(['button', 'checkbox', 'radio', 'range', 'color', 'file', 'submit', 'reset', 'image']);

/** Whether `target` takes typed text (an input, a textarea, an editable element). */
export function isTextField(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const element = target as HTMLElement;
  if (element.isContentEditable) return true;
  const tag = element.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !NOT_TEXT.has((element as HTMLInputElement).type);
  return false;
}

/** Which device a key press toggles, if it is one of the shortcuts. */
export function keyboardToggle(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey' | 'target' | 'repeat'>): 'microphone' | 'camera' | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey || event.repeat) return null;
  if (isTextField(event.target)) return null;
  const key = event.key.toLowerCase();
  if (key === 'd') return 'microphone';
  if (key === 'e') return 'camera';
  return null;
}
