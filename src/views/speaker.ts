// The speaker (audio output) a person chose before joining, where the browser can route audio
// (HTMLMediaElement.setSinkId; not in every browser). Remembered with the other device choices.
const STORAGE_KEY = 'call.speaker';

export const canChooseSpeaker = (): boolean =>
  typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

export function chosenSpeaker(): string {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

export function chooseSpeaker(deviceId: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, deviceId);
  } catch {
    // Private mode: this visit only.
  }
}

/** Plays `video`'s sound on the chosen speaker, if one was chosen and the browser allows it. */
export function useChosenSpeaker(video: HTMLMediaElement): void {
  const id = chosenSpeaker();
  if (!id || !canChooseSpeaker()) return;
  (video as HTMLMediaElement & { setSinkId(id: string): Promise<void> }).setSinkId(id).catch(() => undefined);
}

/** Chooses the speaker in the call: remembered, and applied to every remote voice now playing. */
export function applySpeaker(deviceId: string): void {
  chooseSpeaker(deviceId);
  if (!canChooseSpeaker()) return;
  for (const audio of document.querySelectorAll<HTMLAudioElement>('.remote-audio audio')) {
    (audio as HTMLMediaElement & { setSinkId(id: string): Promise<void> }).setSinkId(deviceId).catch(() => undefined);
  }
}
