// @vitest-environment happy-dom
// Nicknames and all remote data render as text, never as HTML (the tutorial used innerHTML, so a
// nickname could run script on every other participant's page).
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MediaKey } from '../../../src/openvidu/index.ts';
import App from '../../../src/views/App.svelte';
import { loadCallScreens } from '../../../src/views/call-screens.ts';
import { remoteStream, startFakeCall } from '../machines/fakes.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';

async function render(call: ReturnType<typeof startFakeCall>) {
  // The screens after the form come in a chunk of their own; have it here before the call starts,
  // as the page does once it is idle.
  await loadCallScreens();
  const attached: MediaKey[] = [];
  const target = document.createElement('div');
  document.body.append(target);
  const app = mount(App, {
    target,
    props: {
      actor: call.actor,
      attachVideo: (_video: HTMLMediaElement, key: MediaKey) => {
        attached.push(key);
        return () => undefined;
      },
    },
  });
  return { target, attached, destroy: () => unmount(app) };
}

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  document.body.innerHTML = '';
});

describe('remote data on the page', () => {
  it('shows a hostile remote nickname as text and runs nothing', async () => {
    const alert = vi.fn();
    window.alert = alert;
    const call = startFakeCall();
    const view = await render(call);
    cleanup = view.destroy;
    await call.joinCall();
    call.lastSession().emit({ type: 'session.streamCreated', stream: remoteStream('eve', HOSTILE) });
    flushSync();

    const captions = [...view.target.querySelectorAll('figcaption .nickname')].map((el) => el.textContent);
    expect(captions).toContain(HOSTILE);
    expect(view.target.querySelector('img')).toBeNull();
    expect(view.target.innerHTML).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(alert).not.toHaveBeenCalled();
    // The remote tile got its own video element, attached by stream id.
    expect(view.attached).toContain(remoteStream('eve').streamId);
  });

  it('shows a hostile own nickname and session name in the call as text', async () => {
    const call = startFakeCall();
    const view = await render(call);
    cleanup = view.destroy;
    await call.joinCall({ sessionName: 'SessionA', nickname: '<b>bold</b>' });
    flushSync();
    expect(view.target.querySelector('b')).toBeNull();
    expect(view.target.querySelector('figcaption .nickname')?.textContent).toBe('<b>bold</b>');
  });

  it('shows an error message that quotes remote input as text', async () => {
    const call = startFakeCall();
    const view = await render(call);
    cleanup = view.destroy;
    call.actor.send({ type: 'user.join', sessionName: 'SessionA', nickname: 'Alice' });
    call.lastTokenRequest().reject({ kind: 'unexpected', message: `Server said ${HOSTILE}` });
    await new Promise((resolve) => setTimeout(resolve, 0));
    flushSync();
    expect(view.target.querySelector('[role="alert"] .message')?.textContent).toBe(`Server said ${HOSTILE}`);
    expect(view.target.querySelector('img')).toBeNull();
  });
});
