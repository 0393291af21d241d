// The devices a person chose (camera, microphone, and whether each is on before joining), kept in
// localStorage for the next visit. Used by the pre-join preview and by in-call switching alike.
const STORAGE_KEY = 'call.devices';

export interface DeviceChoice {
  cameraId?: string;
  microphoneId?: string;
}

export function rememberedDevices(): DeviceChoice {
  try {
    return (JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as DeviceChoice) ?? {};
  } catch {
    return {};
  }
}

export function rememberDevices(choice: DeviceChoice): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...rememberedDevices(), ...choice }));
  } catch {
    // Private mode or storage full: the choice lasts this visit only.
  }
}
