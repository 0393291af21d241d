// The OpenVidu CE REST API under /openvidu/api (SessionRestController, ConfigRestController), with
// its status codes: 409 with no body for a duplicate session, 404 with no body for an unknown one,
// 204 for deletes, 406 for a signal nobody can receive, 501 for recordings.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OPENVIDU_VERSION } from '../config.ts';
import { participantsOf, type Session } from '../core/model.ts';
import { connectionJson, connectionsJson, sessionJson, visibleConnections } from '../core/rest-json.ts';
import { RpcError } from '../rpc/errors.ts';
import { isAuthorized, refuseUnauthorized } from './auth-cors.ts';
import { isTokenRequest } from './token-holds.ts';
import { readJsonObject } from './body.ts';
import { queryFlag, type HttpContext, type Route } from './context.ts';
import { HttpError, sendEmpty, sendJson, sendText } from './respond.ts';
import { connectionProperties, sessionProperties } from './validate.ts';

function config(ctx: HttpContext): Record<string, unknown> {
  const url = new URL(ctx.publicUrl());
  return {
    VERSION: OPENVIDU_VERSION,
    DOMAIN_OR_PUBLIC_IP: url.hostname,
    HTTPS_PORT: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    OPENVIDU_PUBLICURL: ctx.publicUrl(),
    OPENVIDU_CDR: false,
    OPENVIDU_STREAMS_VIDEO_MAX_RECV_BANDWIDTH: 1000,
    OPENVIDU_STREAMS_VIDEO_MIN_RECV_BANDWIDTH: 300,
    OPENVIDU_STREAMS_VIDEO_MAX_SEND_BANDWIDTH: 1000,
    OPENVIDU_STREAMS_VIDEO_MIN_SEND_BANDWIDTH: 300,
    OPENVIDU_STREAMS_FORCED_VIDEO_CODEC: 'MEDIA_SERVER_PREFERRED',
    OPENVIDU_STREAMS_ALLOW_TRANSCODING: false,
    OPENVIDU_WEBRTC_SIMULCAST: false,
    OPENVIDU_SESSIONS_GARBAGE_INTERVAL: 900,
    OPENVIDU_SESSIONS_GARBAGE_THRESHOLD: 3600,
    OPENVIDU_RECORDING: false,
    OPENVIDU_WEBHOOK: false,
  };
}

function sessionOr404(ctx: HttpContext, id: string | undefined): Session {
  const session = id === undefined ? undefined : ctx.core.sessions.get(id);
  if (!session) throw new HttpError(404, `Session ${id} not found`, true);
  return session;
}

/** Connection and stream routes answer 400, not 404, for an unknown session (SessionRestController). */
function sessionOr400(ctx: HttpContext, id: string | undefined): Session {
  const session = id === undefined ? undefined : ctx.core.sessions.get(id);
  if (!session) throw new HttpError(400, `Session ${id} not found`);
  return session;
}

async function signal(req: IncomingMessage, res: ServerResponse, ctx: HttpContext): Promise<void> {
  const body = await readJsonObject(req, ctx.options.maxBodyBytes, ctx.options.limits.jsonDepth);
  const { session: sessionId, to, type, data } = body;
  if (typeof sessionId !== 'string') throw new HttpError(400, "Parameter 'session' is required and must be a string");
  if (to !== undefined && to !== null && (!Array.isArray(to) || to.some((id) => typeof id !== 'string'))) {
    throw new HttpError(400, "Parameter 'to' must be an array of connection ids");
  }
  if ((type !== undefined && type !== null && typeof type !== 'string') || (data !== undefined && data !== null && typeof data !== 'string')) {
    throw new HttpError(400, "Parameters 'type' and 'data' must be strings");
  }
  if (!ctx.core.signalFits((type as string | null) ?? undefined, (data as string | null) ?? undefined)) {
    throw new HttpError(400, `Parameters 'type' and 'data' are at most ${ctx.options.limits.signalBytes} bytes`);
  }
  const session = ctx.core.sessions.get(sessionId);
  if (!session) throw new HttpError(404, `Session ${sessionId} not found`, true);
  if (participantsOf(session).length === 0) throw new HttpError(406, `Session ${sessionId} has no participants`);
  try {
    ctx.core.signal(session, undefined, (to as string[] | null | undefined) ?? [], (type as string | null) ?? undefined, (data as string | null) ?? undefined);
  } catch (error) {
    if (error instanceof RpcError) throw new HttpError(406, error.message);
    throw error;
  }
  sendEmpty(res, 200);
}

export const restRoutes: Route = async (req, res, segments, ctx) => {
  if (segments[0] !== 'openvidu' || segments[1] !== 'api') return false;
  const [resource, id, sub, subId, ...rest] = segments.slice(2);
  const method = req.method ?? 'GET';
  const url = req.url ?? '';

  // Public routes: clients fetch these without the secret.
  if (resource === 'config' && (id === 'openvidu-publicurl' || id === 'openvidu-version') && sub === undefined) {
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'Method not allowed');
    sendText(res, 200, id === 'openvidu-publicurl' ? ctx.publicUrl() : OPENVIDU_VERSION);
    return true;
  }
  // Test controls only: a token request the test holds, then has answered as it says (see token-holds.ts).
  const tokenAnswer = ctx.tokenHolds && isTokenRequest(method, segments) ? await ctx.tokenHolds.answerFor(segments[3] ?? '', res) : 'normally';
  if (tokenAnswer === 'dropped') {
    res.destroy();
    return true;
  }
  // 'wrongSecret': the request is checked against a secret the page does not have, as by a
  // server started with another one.
  if (!isAuthorized(req, tokenAnswer === 'wrongSecret' ? `${ctx.options.secret}-other` : ctx.options.secret)) {
    refuseUnauthorized(res);
    return true;
  }
  if (rest.length > 0) throw new HttpError(404, 'Not found', true);

  if (resource === 'config' && id === undefined) {
    if (method !== 'GET') throw new HttpError(405, 'Method not allowed');
    sendJson(res, 200, config(ctx));
    return true;
  }

  if (resource === 'recordings') throw new HttpError(501, 'Recording is not available on this local OpenVidu server');

  if (resource === 'signal' && id === undefined) {
    if (method !== 'POST') throw new HttpError(405, 'Method not allowed');
    await signal(req, res, ctx);
    return true;
  }

  if (resource === 'tokens' && id === undefined) {
    if (method !== 'POST') throw new HttpError(405, 'Method not allowed');
    const body = await readJsonObject(req, ctx.options.maxBodyBytes, ctx.options.limits.jsonDepth);
    if (typeof body.session !== 'string') throw new HttpError(400, "Parameter 'session' is required and must be a string");
    const session = ctx.core.sessions.get(body.session);
    if (!session) throw new HttpError(404, `Session ${body.session} not found`);
    const connection = ctx.core.createConnection(session, connectionProperties(body));
    sendJson(res, 200, {
      id: connection.token,
      token: connection.token,
      createdAt: connection.createdAt,
      connectionId: connection.id,
      session: session.id,
      data: connection.props.data,
      role: connection.props.role,
      ...(connection.props.kurentoOptions ? { kurentoOptions: connection.props.kurentoOptions } : {}),
    });
    return true;
  }

  if (resource !== 'sessions') throw new HttpError(404, 'Not found', true);

  if (id === undefined) {
    if (method === 'POST') {
      const props = sessionProperties(await readJsonObject(req, ctx.options.maxBodyBytes, ctx.options.limits.jsonDepth));
      const session = ctx.core.createSession(props);
      if (!session) throw new HttpError(409, `Session ${props.customSessionId} already exists`, true);
      sendJson(res, 200, sessionJson(session, false));
      return true;
    }
    if (method === 'GET') {
      const pending = queryFlag(url, 'pendingConnections', false);
      const content = [...ctx.core.sessions.values()].map((s) => sessionJson(s, pending));
      sendJson(res, 200, { numberOfElements: content.length, content });
      return true;
    }
    throw new HttpError(405, 'Method not allowed', true);
  }

  if (sub === undefined) {
    const session = sessionOr404(ctx, id);
    if (method === 'GET') {
      sendJson(res, 200, sessionJson(session, queryFlag(url, 'pendingConnections', false)));
      return true;
    }
    if (method === 'DELETE') {
      ctx.core.closeSession(session);
      sendEmpty(res, 204);
      return true;
    }
    throw new HttpError(405, 'Method not allowed', true);
  }

  if (sub === 'connection') {
    if (subId === undefined) {
      if (method === 'POST') {
        const session = sessionOr404(ctx, id);
        const connection = ctx.core.createConnection(session, connectionProperties(await readJsonObject(req, ctx.options.maxBodyBytes, ctx.options.limits.jsonDepth)));
        const json = connectionJson(connection);
        // 'revoked': someone deletes the pending connection before the page can use its token.
        if (tokenAnswer === 'revoked') ctx.core.deleteConnection(connection);
        sendJson(res, 200, json);
        return true;
      }
      if (method === 'GET') {
        const session = sessionOr404(ctx, id);
        sendJson(res, 200, connectionsJson(visibleConnections(session, queryFlag(url, 'pendingConnections', true))));
        return true;
      }
      throw new HttpError(405, 'Method not allowed', true);
    }
    const session = sessionOr400(ctx, id);
    const connection = session.connections.get(subId);
    if (method === 'GET' || method === 'DELETE') {
      if (!connection) throw new HttpError(404, `Connection ${subId} not found`, true);
      if (method === 'GET') sendJson(res, 200, connectionJson(connection));
      else {
        ctx.core.deleteConnection(connection);
        sendEmpty(res, 204);
      }
      return true;
    }
    // PATCH (updateConnection) is OpenVidu Pro only; CE has no mapping for it.
    throw new HttpError(405, 'Method not allowed', true);
  }

  if (sub === 'stream' && subId !== undefined) {
    if (method !== 'DELETE') throw new HttpError(405, 'Method not allowed', true);
    const session = sessionOr400(ctx, id);
    const owner = ctx.core.findStreamOwner(session, subId);
    if (!owner) throw new HttpError(404, `Stream ${subId} not found`, true);
    ctx.core.unpublish(owner, 'forceUnpublishByServer', true);
    sendEmpty(res, 204);
    return true;
  }

  throw new HttpError(404, 'Not found', true);
};
