// How every browser test launches Chromium: the system Chromium where it exists (Debian's
// `chromium`, which CI installs), otherwise Playwright's own browser (a developer's laptop).
// The flags give a fake camera and microphone at 30 fps, let WebRTC use loopback addresses,
// and keep Chromium from calling outside hosts (this machine has no route to them).
//
// Screen sharing: --use-fake-ui-for-media-stream together with --use-fake-device-for-media-stream
// is all it takes. Headless Chromium (Debian's 14x, checked by hand) then answers getDisplayMedia at
// once with a fake "screen" (deviceId `screen:-3:0`, 1280x720 at 30 fps, displaySurface `monitor`)
// and, when audio is asked for, a fake audio track; no dialog, and no user gesture needed.
// --auto-select-desktop-capture-source=... and --auto-accept-this-tab-capture were tried too and
// change nothing here (they matter for a headed browser with the real picker), so they are not
// added. tests/support/screen-picker.ts makes the picker close or refuse when a test asks.
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumExecutable(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  return SYSTEM_CHROMIUM.find((path) => existsSync(path));
}

/**
 * What the fake microphone says: a steady 440 Hz tone. Chromium's own fake microphone only
 * beeps for 20 ms now and then, which speech detection (hark, as openvidu-browser runs it)
 * never takes for speaking; a person talking is closer to a steady sound. Written once, here.
 */
function fakeMicrophoneFile(): string {
  const file = join(tmpdir(), 'openvidu-call-machine-tone.wav');
  if (existsSync(file)) return file;
  const rate = 48_000;
  const samples = rate * 2; // two seconds, looped by Chromium
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16); // PCM header size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) wav.writeInt16LE(Math.round(0.3 * 32767 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  writeFileSync(file, wav);
  return file;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream=fps=30',
  `--use-file-for-fake-audio-capture=${fakeMicrophoneFile()}`,
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--autoplay-policy=no-user-gesture-required',
];
