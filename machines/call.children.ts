// The child machines of the call: your devices and your screen while in the call, one actor per
// remote stream. A module of their own so that the page can load them after the form, with the
// code of the call (only states after fetchingToken run them).
import { devicesMachine } from './devices.machine.ts';
import { screenShareMachine } from './screen-share.machine.ts';
import { streamMachine } from './stream.machine.ts';

export const callChildren = { stream: streamMachine, devices: devicesMachine, screenShare: screenShareMachine };
