// The application-server contract of the newer OpenVidu tutorials (openvidu-basic-node): the page
// asks for a session and a token without knowing the secret; this server plays that role too.
// An application server decides roles and server data itself, so a client's role, data or other
// connection properties are ignored, and what anyone can create without the secret is bounded.
import type { OpenViduCore } from '../core/openvidu.ts';
import { participantsOf, type Session } from '../core/model.ts';
import { readJsonObject } from './body.ts';
import type { Route } from './context.ts';
import { HttpError, sendText } from './respond.ts';
import { connectionProperties, sessionProperties } from './validate.ts';

/** Per server: the sessions these routes created. */
const createdHere = new WeakMap<OpenViduCore, Set<string>>();

/** Sessions created here that still exist and nobody has joined (forgotten ids are dropped on the way). */
function unusedAnonymousSessions(core: OpenViduCore): number {
  const ids = createdHere.get(core);
  if (!ids) return 0;
  let unused = 0;
  for (const id of ids) {
    const session = core.sessions.get(id);
    if (!session) ids.delete(id);
    else if (participantsOf(session).length === 0) unused++;
  }
  return unused;
}

const pendingTokens = (session: Session): number => [...session.connections.values()].filter((c) => !c.participant).length;

export const appServerRoutes: Route = async (req, res, segments, ctx) => {
  if (segments[0] !== 'api' || segments[1] !== 'sessions') return false;
  const [, , sessionId, sub, ...rest] = segments;
  if (req.method !== 'POST' || rest.length > 0) throw new HttpError(404, 'Not found', true);
  const { limits } = ctx.options;

  if (sessionId === undefined) {
    // Only the session id is the client's to choose; the other session properties keep their defaults.
    const body = await readJsonObject(req, ctx.options.maxBodyBytes, limits.jsonDepth);
    const props = sessionProperties({ customSessionId: body.customSessionId });
    // Like the tutorial's server: an existing session is reused rather than refused.
    const existing = props.customSessionId ? ctx.core.sessions.get(props.customSessionId) : undefined;
    if (!existing && unusedAnonymousSessions(ctx.core) >= limits.anonymousUnusedSessions) {
      throw new HttpError(429, `Too many sessions nobody has joined yet (at most ${limits.anonymousUnusedSessions})`);
    }
    const session = existing ?? ctx.core.createSession(props);
    if (!session) throw new HttpError(409, 'Session already exists', true);
    if (!existing) {
      const ids = createdHere.get(ctx.core) ?? new Set<string>();
      createdHere.set(ctx.core, ids.add(session.id));
    }
    sendText(res, 200, session.id);
    return true;
  }

  if (sub === 'connections') {
    const session = ctx.core.sessions.get(sessionId);
    if (!session) throw new HttpError(404, `Session ${sessionId} not found`);
    // The body is read (and bounded) but not used: role PUBLISHER, no server data, default properties.
    await readJsonObject(req, ctx.options.maxBodyBytes, limits.jsonDepth);
    if (pendingTokens(session) >= limits.anonymousPendingTokensPerSession) {
      throw new HttpError(429, `Too many unused tokens for session ${sessionId} (at most ${limits.anonymousPendingTokensPerSession})`);
    }
    const connection = ctx.core.createConnection(session, connectionProperties({}));
    sendText(res, 200, connection.token);
    return true;
  }
  throw new HttpError(404, 'Not found', true);
};
