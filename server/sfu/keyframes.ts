// Keyframe requests from many subscribers, coalesced. Chromium ignores a PLI that comes less than
// about 300 ms after the previous one, so a burst (four subscribers joining at once) must not be
// dropped: the first request goes out at once and later ones fold into one deferred PLI at the end
// of the window.
export class KeyframeCoalescer {
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly send: () => void,
    private readonly windowMs = 350,
    private readonly now: () => number = () => performance.now(),
  ) {}

  request(): void {
    if (this.closed || this.timer) return;
    const wait = this.lastSentAt + this.windowMs - this.now();
    if (wait <= 0) {
      this.fire();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, wait);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    if (this.closed) return;
    this.lastSentAt = this.now();
    this.send();
  }
}
