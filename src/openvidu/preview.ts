// The pre-join preview: your camera and microphone before you join, with the devices you pick.
// It uses the browser's media API only (no openvidu-browser), so it works while the library is
// still loading. Its tracks are the ones that get published: on Join they go to the hand-off
// (preview-handoff.ts), where the connect actor takes them, so the camera opens once per join.
//
// The camera starts at once when the page is already allowed to use it (on the first visit of
// the form only: after a call the camera stays off until you turn it on), otherwise when the
// person asks. Refusing leaves the form usable: you can join without devices.
//
// The camera and microphone can be off (the call machine's choice, told by preview.actor.ts):
// a camera off is not open at all (its light is out, and the hand-off carries no video track); a
// microphone off stays open but disabled, as a muted microphone is in the call.
import { rememberDevices, rememberedDevices, type DeviceChoice } from './device-choice.ts';
import { handOffPreview, takePreview } from './preview-handoff.ts';

export interface DeviceOption {
  deviceId: string;
  label: string;
}

export interface PreviewState {
  status: 'off' | 'starting' | 'on' | 'refused';
  /** Why the preview is off after a failure, in words a person can act on. */
  reason: string | null;
  /** The device lists, known only once the page may use the devices (labels are empty before). */
  cameras: DeviceOption[] | null;
  microphones: DeviceOption[] | null;
  speakers: DeviceOption[] | null;
  cameraId: string;
  microphoneId: string;
  /** A remembered device that is gone, and what was used instead. */
  notice: string | null;
  stream: MediaStream | null;
}

/** The tutorial's camera settings, as the publisher asks for them. */
const VIDEO = { width: 640, height: 480, frameRate: 30 };

type Remembered = DeviceChoice;
const remembered = rememberedDevices;
const remember = rememberDevices;

const stopAll = (stream: MediaStream | null) => {
  for (const track of stream?.getTracks() ?? []) track.stop();
};

function refusalReason(error: unknown): string {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return 'You did not allow this page to use your camera and microphone. You can still join without them.';
  if (name === 'NotFoundError') return 'No camera or microphone was found. You can still join without them.';
  if (name === 'NotReadableError' || name === 'AbortError')
    return 'Your camera or microphone is in use by another application. You can still join without them.';
  return 'Your camera and microphone could not start. You can still join without them.';
}

export class Preview {
  #state: PreviewState = {
    status: 'off',
    reason: null,
    cameras: null,
    microphones: null,
    speakers: null,
    cameraId: '',
    microphoneId: '',
    notice: null,
    stream: null,
  };
  readonly #listeners = new Set<(state: PreviewState) => void>();
  #active = false;
  #visits = 0;
  #attempt = 0;
  #watching = false;
  /** The machine's choice: whether the camera and the microphone are on. */
  #camera = true;
  #microphone = true;
  /** The latest opening of the camera alone (turned on again): an older one arriving late is stopped. */
  #cameraAttempt = 0;

  get state(): PreviewState {
    return this.#state;
  }

  subscribe(listener: (state: PreviewState) => void): () => void {
    this.#listeners.add(listener);
    listener(this.#state);
    return () => this.#listeners.delete(listener);
  }

  #set(patch: Partial<PreviewState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const listener of this.#listeners) listener(this.#state);
  }

  /** The form is shown: take back a hand-off a cancelled join left, or start if allowed. */
  async activate(wanted: { camera: 'on' | 'off'; microphone: 'on' | 'off' } = { camera: 'on', microphone: 'on' }): Promise<void> {
    this.#active = true;
    this.#camera = wanted.camera === 'on';
    this.#microphone = wanted.microphone === 'on';
    const first = this.#visits++ === 0;
    const returned = takePreview();
    if (returned) {
      this.#set({ stream: this.#applyChoice(returned), status: 'on', reason: null });
      if (this.#camera && returned.getVideoTracks().length === 0) await this.#openCamera();
      return;
    }
    if (first && (await this.#granted()) && this.#active && this.#state.status === 'off') await this.start();
  }

  /** The form is gone (Join): the tracks go to the hand-off for the connect actor. */
  deactivate(): void {
    this.#active = false;
    this.#attempt++;
    this.#cameraAttempt++;
    const { stream } = this.#state;
    if (stream && this.#state.status === 'on') handOffPreview(stream);
    else stopAll(stream);
    this.#set({ stream: null, status: 'off' });
  }

  /** Start (or restart, with the chosen devices) the camera and microphone. */
  async start(): Promise<void> {
    if (!navigator.mediaDevices?.getUserMedia) {
      this.#set({ status: 'refused', reason: 'This browser cannot use a camera here (it needs https or localhost).' });
      return;
    }
    const attempt = ++this.#attempt;
    this.#cameraAttempt++;
    stopAll(this.#state.stream); // before opening again: a phone may have one camera only
    this.#set({ status: 'starting', stream: null, reason: null });
    const wanted = { ...remembered(), ...(this.#state.cameraId ? { cameraId: this.#state.cameraId } : {}), ...(this.#state.microphoneId ? { microphoneId: this.#state.microphoneId } : {}) };
    const constraints = (choice: Remembered): MediaStreamConstraints => ({
      // A camera turned off is not opened: its light stays out.
      video: this.#camera ? { ...VIDEO, ...(choice.cameraId ? { deviceId: { exact: choice.cameraId } } : {}) } : false,
      audio: choice.microphoneId ? { deviceId: { exact: choice.microphoneId } } : true,
    });
    let stream: MediaStream;
    let notice: string | null = null;
    try {
      stream = await navigator.mediaDevices.getUserMedia(constraints(wanted));
    } catch (error) {
      const name = (error as { name?: string } | null)?.name;
      const chosen = wanted.cameraId || wanted.microphoneId;
      if (!chosen || (name !== 'OverconstrainedError' && name !== 'NotFoundError')) return this.#fail(attempt, error);
      // A remembered device that is gone: the default one instead, and say so.
      notice = 'A camera or microphone you chose before is not available now: using the default one.';
      try {
        stream = await navigator.mediaDevices.getUserMedia(constraints({}));
      } catch (again) {
        return this.#fail(attempt, again);
      }
    }
    if (attempt !== this.#attempt || !this.#active) return stopAll(stream);
    // Turned off meanwhile: the choice wins over what was asked.
    stream = this.#applyChoice(stream);
    const cameraId = stream.getVideoTracks()[0]?.getSettings().deviceId || this.#state.cameraId;
    const microphoneId = stream.getAudioTracks()[0]?.getSettings().deviceId || this.#state.microphoneId;
    // Only ids of devices really opened: a camera left off keeps the one chosen before.
    remember({ ...(cameraId ? { cameraId } : {}), ...(microphoneId ? { microphoneId } : {}) });
    this.#set({ status: 'on', stream, cameraId, microphoneId, notice: notice ?? this.#state.notice, reason: null });
    await this.listDevices();
  }

  /**
   * The machine's choice changed. The camera off: its track stops (the light goes out) and leaves
   * the stream; on: it opens again, beside the microphone. The microphone off: disabled, so the
   * level meter reads silence and nothing of it is ever sent.
   */
  async turn(kind: 'camera' | 'microphone', on: boolean): Promise<void> {
    if (kind === 'microphone') {
      this.#microphone = on;
      for (const track of this.#state.stream?.getAudioTracks() ?? []) track.enabled = on;
      return;
    }
    this.#camera = on;
    this.#cameraAttempt++;
    const { stream, status } = this.#state;
    if (!stream || status !== 'on') return; // nothing open: the next start follows the choice
    if (!on) this.#set({ stream: this.#applyChoice(stream) });
    else if (stream.getVideoTracks().length === 0) await this.#openCamera();
  }

  /** The stream as the choice wants it: no camera track when the camera is off, the microphone enabled or not. */
  #applyChoice(stream: MediaStream): MediaStream {
    for (const track of stream.getAudioTracks()) track.enabled = this.#microphone;
    if (this.#camera || stream.getVideoTracks().length === 0) return stream;
    for (const track of stream.getVideoTracks()) track.stop();
    // A new stream object, so the <video> showing it lets go of the last frame.
    return new MediaStream(stream.getAudioTracks());
  }

  /** Opens the camera alone (turned on again) and puts it beside the microphone. */
  async #openCamera(): Promise<void> {
    const attempt = ++this.#cameraAttempt;
    const { cameraId } = this.#state;
    const open = (id: string) => navigator.mediaDevices.getUserMedia({ audio: false, video: { ...VIDEO, ...(id ? { deviceId: { exact: id } } : {}) } });
    let video: MediaStream;
    try {
      video = await open(cameraId).catch(() => open(''));
    } catch (error) {
      if (attempt === this.#cameraAttempt) this.#set({ reason: refusalReason(error) });
      return;
    }
    const current = this.#state.stream;
    if (attempt !== this.#cameraAttempt || !this.#active || !current || !this.#camera) return stopAll(video);
    this.#set({ stream: new MediaStream([...current.getAudioTracks(), ...video.getVideoTracks()]), reason: null });
  }

  selectCamera(deviceId: string): Promise<void> {
    this.#set({ cameraId: deviceId, notice: null });
    remember({ cameraId: deviceId });
    return this.start();
  }

  selectMicrophone(deviceId: string): Promise<void> {
    this.#set({ microphoneId: deviceId, notice: null });
    remember({ microphoneId: deviceId });
    return this.start();
  }

  #fail(attempt: number, error: unknown): void {
    if (attempt !== this.#attempt) return;
    this.#set({ status: 'refused', reason: refusalReason(error), stream: null });
  }

  async #granted(): Promise<boolean> {
    try {
      const [camera, microphone] = await Promise.all([
        navigator.permissions.query({ name: 'camera' as PermissionName }),
        navigator.permissions.query({ name: 'microphone' as PermissionName }),
      ]);
      return camera.state === 'granted' && microphone.state === 'granted';
    } catch {
      return false; // Firefox and Safari do not know these names: wait for the person.
    }
  }

  /**
   * Fills the device lists (names appear only once the page may use the devices), and keeps them
   * up to date as devices come and go.
   */
  async listDevices(): Promise<void> {
    if (!this.#watching && navigator.mediaDevices?.addEventListener) {
      this.#watching = true;
      navigator.mediaDevices.addEventListener('devicechange', () => void this.listDevices());
    }
    const devices = await navigator.mediaDevices.enumerateDevices().catch(() => []);
    const of = (kind: MediaDeviceKind, word: string) =>
      devices.filter((d) => d.kind === kind && d.deviceId).map((d, i) => ({ deviceId: d.deviceId, label: d.label || `${word} ${i + 1}` }));
    this.#set({ cameras: of('videoinput', 'Camera'), microphones: of('audioinput', 'Microphone'), speakers: of('audiooutput', 'Speaker') });
  }
}
