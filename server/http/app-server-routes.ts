// The application-server contract of the newer OpenVidu tutorials (openvidu-basic-node): the page
// asks for a session and a token without knowing the secret; this server plays that role too.
import { readJsonObject } from './body.ts';
import type { Route } from './context.ts';
import { HttpError, sendText } from './respond.ts';
import { connectionProperties, sessionProperties } from './validate.ts';

export const appServerRoutes: Route = async (req, res, segments, ctx) => {
  if (segments[0] !== 'api' || segments[1] !== 'sessions') return false;
  const [, , sessionId, sub, ...rest] = segments;
  if (req.method !== 'POST' || rest.length > 0) throw new HttpError(404, 'Not found', true);

  if (sessionId === undefined) {
    // Like the tutorial's server: an existing session is reused rather than refused.
    const props = sessionProperties(await readJsonObject(req, ctx.options.maxBodyBytes));
    const existing = props.customSessionId ? ctx.core.sessions.get(props.customSessionId) : undefined;
    const session = existing ?? ctx.core.createSession(props);
    if (!session) throw new HttpError(409, 'Session already exists', true);
    sendText(res, 200, session.id);
    return true;
  }

  if (sub === 'connections') {
    const session = ctx.core.sessions.get(sessionId);
    if (!session) throw new HttpError(404, `Session ${sessionId} not found`);
    const connection = ctx.core.createConnection(session, connectionProperties(await readJsonObject(req, ctx.options.maxBodyBytes)));
    sendText(res, 200, connection.token);
    return true;
  }
  throw new HttpError(404, 'Not found', true);
};
