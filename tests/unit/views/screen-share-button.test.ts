// @vitest-environment happy-dom
// The Share screen control: offered only where the browser can share a screen, pressed while a
// share is on its way or on, and its error shown (as text) only while there is one.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ScreenShareStatus } from '../../../machines/call.selectors.ts';
import ScreenShare from '../../../src/views/ScreenShare.svelte';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

function render(status: ScreenShareStatus, canShare: boolean) {
  vi.stubGlobal('navigator', { ...navigator, mediaDevices: canShare ? { getDisplayMedia: () => undefined } : {} });
  const target = document.createElement('div');
  document.body.append(target);
  const props = { status, onShare: vi.fn(), onStop: vi.fn(), onDismiss: vi.fn() };
  const view = mount(ScreenShare, { target, props });
  cleanup = () => unmount(view);
  flushSync();
  return { target, ...props, button: () => target.querySelector('button[aria-pressed]') as HTMLButtonElement | null };
}

describe('the Share screen control', () => {
  it('is not offered where getDisplayMedia is missing (phones)', () => {
    const { target } = render({ phase: 'off', error: null }, false);
    expect(target.querySelector('button')).toBeNull();
  });

  it('shares when off, stops (or cancels) when pressed; no status while there is nothing to say', () => {
    const off = render({ phase: 'off', error: null }, true);
    expect(off.button()?.textContent?.trim()).toMatch(/Share screen$/);
    expect(off.button()?.getAttribute('aria-pressed')).toBe('false');
    expect(off.target.querySelector('[role="status"]')).toBeNull();
    off.button()?.click();
    expect(off.onShare).toHaveBeenCalledOnce();
    cleanup?.();

    for (const phase of ['starting', 'sharing'] as const) {
      const on = render({ phase, error: null }, true);
      expect(on.button()?.getAttribute('aria-pressed')).toBe('true');
      on.button()?.click();
      expect(on.onStop).toHaveBeenCalledOnce();
      expect(on.onShare).not.toHaveBeenCalled();
      cleanup?.();
    }
  });

  it('says what went wrong, as text, until dismissed', () => {
    const hostile = '<img src=x onerror="window.pwned=1">';
    const { target, onDismiss } = render({ phase: 'off', error: hostile }, true);
    const status = target.querySelector('[role="status"]');
    expect(status?.textContent).toContain(hostile);
    expect(target.querySelector('img')).toBeNull();
    (target.querySelector('button[aria-label="Dismiss the screen sharing message"]') as HTMLButtonElement).click();
    expect(onDismiss).toHaveBeenCalledOnce();
  });
});
