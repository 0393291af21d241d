// What the page shows, recorded as it changes: an init script keeps a short summary of the page
// after every DOM change that alters it, so a state shown only briefly is still seen.
import type { Page } from '@playwright/test';

/** What a person sees on the page at one moment, in a few words. */
export interface PageView {
  screen: string;
  step: string;
  leave: string;
  reconnecting: boolean;
  notice: string;
  errorTitle: string;
  errorKind: string;
  publishFailed: string;
  formError: string;
  ownTile: boolean;
  remoteTiles: number;
  main: string;
  /** The pressed button of the Layout group: 'Grid' or 'Speaker'. */
  layout: string;
  /** The tile whose button is pressed (pinned): its nickname, or ''. */
  pinned: string;
  /** aria-pressed of the join form's Microphone and Camera buttons ('' when there are none). */
  prejoinMicrophone: string;
  prejoinCamera: string;
  /** aria-pressed of your Microphone and Camera buttons ('' when there are none). */
  microphone: string;
  camera: string;
  /** The devices actor's state each button shows (data-state), and the notice of a device gone. */
  microphoneState: string;
  cameraState: string;
  deviceNotice: string;
  /** Remote tiles with a muted-microphone mark, and with a name card instead of video. */
  mutedMarks: number;
  nameCards: number;
  /** aria-pressed of Share screen ('' when there is none), the "Sharing your screen" mark, and a screen share's error. */
  screenShare: string;
  sharing: boolean;
  screenError: string;
}

// Runs in the page before its own scripts: every DOM change that alters the summary is kept,
// so a state shown only briefly (connecting, publishing) is still seen.
export function recordViews(): void {
  const w = window as unknown as { __views: PageView[] };
  w.__views = [];
  const text = (selector: string) => document.querySelector(selector)?.textContent?.trim() ?? '';
  const summary = (): PageView => ({
    screen: (document.querySelector('main.page') as HTMLElement | null)?.dataset.screen ?? '',
    step: text('.joining .step'),
    leave: text('.call-controls button.danger'),
    reconnecting: document.querySelector('.banner.warning') !== null,
    notice: text('.banner:not(.warning) span'),
    errorTitle: text('.card.error h1'),
    errorKind: document.querySelector('.card.error')?.getAttribute('data-error-kind') ?? '',
    publishFailed: document.querySelector('.publish-failed')?.getAttribute('data-error-kind') ?? '',
    formError: text('.form-error'),
    ownTile: document.querySelector('.tiles .video-tile[data-media-key="self"]') !== null,
    // Your camera ('self') and your own screen ('self-screen') are not remote.
    remoteTiles: document.querySelectorAll('.tiles .video-tile:not([data-media-key^="self"])').length,
    main: text('.stage .video-tile.main .nickname'),
    // The button's words, without its (aria-hidden) icon.
    layout: [...(document.querySelector('[aria-label="Layout"] button[aria-pressed="true"]')?.childNodes ?? [])]
      .filter((node) => !(node instanceof Element && node.getAttribute('aria-hidden') === 'true'))
      .map((node) => node.textContent ?? '')
      .join('')
      .trim(),
    pinned: [...document.querySelectorAll('.tiles .video-tile')]
      .filter((tile) => tile.querySelector('button.select[aria-pressed="true"]'))
      .map((tile) => tile.querySelector('.nickname')?.textContent?.trim() ?? '')
      .join(','),
    prejoinMicrophone: document.querySelector('.prejoin-toggles button[title*="microphone"]')?.getAttribute('aria-pressed') ?? '',
    prejoinCamera: document.querySelector('.prejoin-toggles button[title*="camera"]')?.getAttribute('aria-pressed') ?? '',
    microphone: document.querySelector('.controls button[title*="microphone"]')?.getAttribute('aria-pressed') ?? '',
    camera: document.querySelector('.controls button[title*="camera"]')?.getAttribute('aria-pressed') ?? '',
    microphoneState: document.querySelector('.controls button[title*="microphone"]')?.getAttribute('data-state') ?? '',
    cameraState: document.querySelector('.controls button[title*="camera"]')?.getAttribute('data-state') ?? '',
    deviceNotice: text('.device-notice'),
    mutedMarks: document.querySelectorAll('.tiles .video-tile:not([data-media-key="self"]) .muted-mark').length,
    nameCards: document.querySelectorAll('.tiles .video-tile:not([data-media-key="self"]) .name-card').length,
    screenShare: document.querySelector('.screen-share button[aria-pressed]')?.getAttribute('aria-pressed') ?? '',
    sharing: document.querySelector('.screen-share .sharing-mark') !== null,
    screenError: text('.screen-share-error span'),
  });
  let last = '';
  const note = () => {
    const view = summary();
    const key = JSON.stringify(view);
    if (key !== last) {
      last = key;
      w.__views.push(view);
    }
  };
  const start = () => {
    note();
    new MutationObserver(note).observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}

export const views = (page: Page) => page.evaluate(() => (window as unknown as { __views: PageView[] }).__views.slice());

