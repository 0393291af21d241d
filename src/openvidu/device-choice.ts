// The devices a person chose (camera, microphone, and whether each is on before joining), kept in
// localStorage for the next visit. Used by the pre-join preview and by in-call switching alike.
const STORAGE_KEY = 'call.devices';

export interface DeviceChoice {
  cameraId?: string;
  microphoneId?: string;
  /** Turned off on the join form: the next visit's form (and call) starts with it off. */
  camera?: 'on' | 'off';
  microphone?: 'on' | 'off';
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

/** The on/off choice of the last visit, as the call machine's input takes it (anything else: on). */
export function rememberedOnOff(): { camera: 'on' | 'off'; microphone: 'on' | 'off' } {
  const { camera, microphone } = rememberedDevices();
  return { camera: camera === 'off' ? 'off' : 'on', microphone: microphone === 'off' ? 'off' : 'on' };
}
