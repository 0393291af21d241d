// @vitest-environment happy-dom
// The chat panel shows every message as text (never HTML), says the limits before sending, and
// sends nothing it refuses.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage } from '../../../machines/call.types.ts';
import ChatPanel from '../../../src/views/ChatPanel.svelte';

const HOSTILE = '<img src=x onerror="window.pwned=1">';
let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  document.body.innerHTML = '';
});

function render(messages: ChatMessage[], onSend = vi.fn()) {
  const target = document.createElement('div');
  document.body.append(target);
  const panel = mount(ChatPanel, { target, props: { messages, canSend: true, onSend, onClose: () => undefined } });
  cleanup = () => unmount(panel);
  flushSync();
  return { target, onSend };
}

describe('the chat panel', () => {
  it('shows a hostile message and sender as text', () => {
    const { target } = render([{ id: 1, fromConnectionId: 'c', nickname: HOSTILE, text: HOSTILE, at: 0, mine: false }]);
    expect(target.querySelector('img')).toBeNull();
    expect(target.querySelector('.chat-text')?.textContent).toBe(HOSTILE);
    expect(target.querySelector('.chat-sender')?.textContent).toBe(HOSTILE);
  });

  it('refuses an empty or too long message with the reason, and sends a good one', () => {
    const { target, onSend } = render([]);
    const field = target.querySelector('textarea') as HTMLTextAreaElement;
    const form = target.querySelector('form') as HTMLFormElement;
    const limit = () => target.querySelector('#chat-limit')?.textContent?.trim();
    expect(limit()).toBe('500 characters left');
    form.requestSubmit();
    flushSync();
    expect(limit()).toBe('Type a message first.');
    field.value = 'x'.repeat(501);
    field.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    expect(limit()).toBe('1 characters too many: a message may be at most 500.');
    form.requestSubmit();
    flushSync();
    expect(onSend).not.toHaveBeenCalled();
    field.value = 'Hello';
    field.dispatchEvent(new Event('input', { bubbles: true }));
    form.requestSubmit();
    flushSync();
    expect(onSend).toHaveBeenCalledWith('Hello');
  });
});
