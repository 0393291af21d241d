// Installed by the benchmarks before any script of a page runs (context.addInitScript), in the call
// page and in the bare openvidu-browser page alike, so both are measured the same way from outside.
// It only observes: timestamps of what a person would see (screen, progress text, own video playing,
// first frame of each remote video), JSON-RPC requests and answers on the OpenVidu WebSocket, and
// the peer connections the page opens. Times are performance.now(); `epoch` ones add timeOrigin
// so two pages can be compared.
(() => {
  const bench = { marks: {}, steps: [], remoteFrames: [], rpc: [], pcs: [] };
  window.__bench = bench;
  const now = () => performance.now();
  const mark = (name) => {
    if (!(name in bench.marks)) bench.marks[name] = now();
  };

  // The screen (<main data-screen>) and the joining progress line: the machine's state as shown.
  let lastScreen = null;
  let lastStep = null;
  const trackedVideos = new WeakSet();
  const scan = () => {
    const screen = document.querySelector('main[data-screen]')?.getAttribute('data-screen') ?? null;
    if (screen !== lastScreen) {
      lastScreen = screen;
      bench.steps.push({ text: `screen:${screen}`, t: now() });
      mark(`screen:${screen}`);
    }
    const step = document.querySelector('.joining .step')?.textContent?.trim() || null;
    if (step !== lastStep) {
      lastStep = step;
      if (step) {
        bench.steps.push({ text: step, t: now() });
        mark(`step:${step}`);
      }
    }
    // First presented frame of each remote video (call page tiles, or the bare page's #remote).
    for (const video of document.querySelectorAll('.video-tile:not([data-media-key="self"]) video, #remote video')) {
      if (trackedVideos.has(video) || typeof video.requestVideoFrameCallback !== 'function') continue;
      trackedVideos.add(video);
      const key = video.closest('[data-media-key]')?.getAttribute('data-media-key') ?? (video.id || 'remote');
      video.requestVideoFrameCallback(() => {
        if (!bench.remoteFrames.some((f) => f.key === key)) bench.remoteFrames.push({ key, epoch: performance.timeOrigin + now() });
      });
    }
  };
  new MutationObserver(scan).observe(document, { subtree: true, childList: true, attributes: true, characterData: true, attributeFilter: ['data-screen'] });

  // Own video playing: the call page's self tile, or the bare page's #publisher (the tutorial's way).
  document.addEventListener('playing', (event) => {
    const video = event.target;
    if (video instanceof HTMLVideoElement && video.closest('[data-media-key="self"], #publisher')) mark('ownPlaying');
  }, true);

  // The OpenVidu JSON-RPC socket: when each request went out and when its answer came back, and
  // when each notification arrived (epoch, to compare with another page).
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      const pending = new Map();
      this.__pending = pending;
      this.addEventListener('message', (event) => {
        let message;
        try { message = JSON.parse(event.data); } catch { return; }
        if (message.method) {
          bench.rpc.push({ method: `notify:${message.method}`, sent: now(), epoch: performance.timeOrigin + now() });
          return;
        }
        const entry = pending.get(message.id);
        if (entry && entry.answered === undefined) {
          entry.answered = now();
          entry.answeredEpoch = performance.timeOrigin + entry.answered;
          mark(`answered:${entry.method}`);
        }
      });
    }
    send(data) {
      try {
        const message = JSON.parse(data);
        if (message && message.method && message.id !== undefined) {
          const entry = { method: message.method, sent: now(), epoch: performance.timeOrigin + now() };
          bench.rpc.push(entry);
          this.__pending.set(message.id, entry);
          mark(`sent:${message.method}`);
        }
      } catch {}
      return super.send(data);
    }
  };

  // Every peer connection the page makes, weakly held: "open" ones are leaks once the call is over.
  const NativePc = window.RTCPeerConnection;
  const pcs = [];
  window.RTCPeerConnection = class extends NativePc {
    constructor(...args) {
      super(...args);
      pcs.push(new WeakRef(this));
      // When each one got connected (ICE + DTLS done), epoch: splits "subscribe → first frame".
      const entry = { created: performance.timeOrigin + now(), connected: undefined };
      bench.pcs.push(entry);
      this.addEventListener('connectionstatechange', () => {
        if (this.connectionState === 'connected' && entry.connected === undefined) entry.connected = performance.timeOrigin + now();
      });
    }
  };
  // What an open one is: a publisher sends, a subscriber only receives.
  window.__benchPcInfo = () =>
    pcs.map((ref) => ref.deref()).filter((pc) => pc && pc.signalingState !== 'closed' && pc.connectionState !== 'closed').map((pc) => ({
      signaling: pc.signalingState, connection: pc.connectionState, ice: pc.iceConnectionState,
      sending: pc.getSenders().filter((s) => s.track).length, receiving: pc.getReceivers().length,
      transceivers: pc.getTransceivers().map((t) => `${t.direction}/${t.currentDirection}`).join(','),
    }));
  window.__benchOpenPcs = () =>
    pcs.map((ref) => ref.deref()).filter((pc) => pc && pc.signalingState !== 'closed' && pc.connectionState !== 'closed').length;
})();
