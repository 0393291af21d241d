// What the join form is given to show the pre-join preview (src/openvidu/preview.ts).
import type { Preview } from '../openvidu/preview.ts';

export type { PreviewState, DeviceOption } from '../openvidu/preview.ts';
export type LoadPreview = () => Promise<Preview>;
