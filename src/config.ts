// Where the page gets its token, settled once at start-up. Build time: VITE_OPENVIDU_URL,
// VITE_OPENVIDU_SECRET, VITE_TOKEN_MODE, VITE_APPLICATION_SERVER_URL. Run time (no rebuild): the
// same names as query parameters, `?openviduUrl=…&openviduSecret=…&tokenMode=…&applicationServerUrl=…`.
// Defaults are the OpenVidu development container's, which `npm start` imitates.
import type { TokenSourceConfig } from './token/index.ts';

export const DEFAULT_OPENVIDU_URL = 'http://localhost:4443';
export const DEFAULT_OPENVIDU_SECRET = 'MY_SECRET';

export interface PageConfig {
  token: TokenSourceConfig;
  /** A session name to fill in, from a shared link (`?session=Name`). */
  sessionName: string | null;
  /** Stream the machine to the Stately inspector. */
  inspect: boolean;
}

export function readConfig(search: string, env: Record<string, string | undefined>): PageConfig {
  const query = new URLSearchParams(search);
  const pick = (param: string, envName: string, fallback: string) =>
    query.get(param) || env[envName] || fallback;

  const openviduUrl = pick('openviduUrl', 'VITE_OPENVIDU_URL', DEFAULT_OPENVIDU_URL);
  const mode = pick('tokenMode', 'VITE_TOKEN_MODE', 'openvidu');
  const token: TokenSourceConfig =
    mode === 'application-server'
      ? { mode, url: pick('applicationServerUrl', 'VITE_APPLICATION_SERVER_URL', openviduUrl) }
      : { mode: 'openvidu', url: openviduUrl, secret: pick('openviduSecret', 'VITE_OPENVIDU_SECRET', DEFAULT_OPENVIDU_SECRET) };

  return { token, sessionName: query.get('session'), inspect: query.has('inspect') };
}
