// Routes that only exist with --test-controls: they let browser tests cause what is hard to cause
// from a page (a dropped socket, a server that refuses reconnection) and check that nothing is
// left behind. Without the flag the router never reaches this file and /test/* is a 404.
import { readJsonObject } from './body.ts';
import type { Route } from './context.ts';
import { HttpError, sendEmpty, sendJson } from './respond.ts';

/** A `{"ms": n}`-style duration from a control's body: 0 to 10 minutes. */
function durationMs(value: unknown, body: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 600_000) {
    throw new HttpError(400, `Body must be ${body}`);
  }
  return value;
}

export const testControlRoutes: Route = async (req, res, segments, ctx) => {
  if (segments[0] !== 'test') return false;
  const method = req.method ?? 'GET';

  if (segments[1] === 'state' && segments.length === 2 && method === 'GET') {
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    sendJson(res, 200, {
      ...ctx.core.snapshot(),
      openSockets: ctx.sockets.openSockets,
      // For benchmarks: CPU time used so far and memory now; a caller diffs two samples.
      process: { cpuMicros: cpu.user + cpu.system, sampledAtMs: performance.now(), rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
    });
    return true;
  }

  if (segments[1] === 'connections' && segments[3] === 'drop-socket' && segments.length === 4 && method === 'POST') {
    const connectionId = segments[2] ?? '';
    if (!ctx.sockets.dropSocketOf(connectionId)) throw new HttpError(404, `No open socket for ${connectionId}`);
    sendEmpty(res, 204);
    return true;
  }

  if (segments[1] === 'connections' && segments[3] === 'notify' && segments.length === 4 && method === 'POST') {
    // Sends one JSON-RPC notification to a participant, for page tests of notifications the local
    // server never produces itself (recordingStarted, networkQualityLevelChanged, ...).
    const { method: rpcMethod, params } = await readJsonObject(req, ctx.options.maxBodyBytes);
    if (typeof rpcMethod !== 'string' || rpcMethod === '' || typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new HttpError(400, 'Body must be {"method": "<name>", "params": {...}}');
    }
    const channel = ctx.core.channelOf(segments[2] ?? '');
    if (!channel) throw new HttpError(404, `No open socket for ${segments[2]}`);
    channel.notify(rpcMethod, params);
    sendEmpty(res, 204);
    return true;
  }

  if (segments[1] === 'delay-answers' && segments.length === 2 && method === 'POST') {
    const usage = '{"method": "<JSON-RPC method>", "ms": <0..600000>}';
    const { method: rpcMethod, ms } = await readJsonObject(req, ctx.options.maxBodyBytes);
    if (typeof rpcMethod !== 'string' || rpcMethod === '') throw new HttpError(400, `Body must be ${usage}`);
    ctx.sockets.delayAnswers(rpcMethod, durationMs(ms, usage));
    sendEmpty(res, 204);
    return true;
  }

  if (segments[1] === 'refuse-websockets' && segments.length === 2 && method === 'POST') {
    const { ms } = await readJsonObject(req, ctx.options.maxBodyBytes);
    ctx.sockets.refuseNewSockets(durationMs(ms, '{"ms": <0..600000>}'));
    sendEmpty(res, 204);
    return true;
  }

  if (segments[1] === 'connections' && segments[3] === 'fail-subscriptions' && segments.length === 4 && method === 'POST') {
    // One remote stream failing for one participant only, for page tests of a tile's own error.
    const { count = 1 } = await readJsonObject(req, ctx.options.maxBodyBytes);
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 1000) {
      throw new HttpError(400, 'Body must be {"count": <0..1000>} (default 1; 0 lifts the fault)');
    }
    if (!ctx.subscriptionFaults || !ctx.core.hasParticipant(segments[2] ?? '')) throw new HttpError(404, `No participant ${segments[2]}`);
    ctx.subscriptionFaults.set(segments[2] ?? '', count);
    sendEmpty(res, 204);
    return true;
  }

  if (segments[1] === 'sessions' && segments[3] === 'token-requests' && segments.length === 4 && ctx.tokenHolds) {
    // Token requests for one session held at the server: {"hold": true|false} starts or stops
    // holding (stopping drops what is held); {"release": "normally"|"revoked"|"wrongSecret"|"dropped"}
    // answers the oldest one so (404 when none is held). GET tells how many are held.
    const holds = ctx.tokenHolds;
    const session = segments[2] ?? '';
    if (method === 'GET') {
      sendJson(res, 200, { held: holds.count(session) });
      return true;
    }
    if (method === 'POST') {
      const usage = '{"hold": true|false} or {"release": "normally"|"revoked"|"wrongSecret"|"dropped"}';
      const { hold, release } = await readJsonObject(req, ctx.options.maxBodyBytes);
      if (typeof hold === 'boolean' && release === undefined) {
        if (!hold) holds.stop(session);
        else if (!holds.start(session)) throw new HttpError(429, 'Too many sessions are held');
      } else if (release === 'normally' || release === 'revoked' || release === 'wrongSecret' || release === 'dropped') {
        if (!holds.release(session, release)) throw new HttpError(404, 'No token request is held');
      } else throw new HttpError(400, `Body must be ${usage}`);
      sendEmpty(res, 204);
      return true;
    }
  }

  throw new HttpError(404, 'Not found', true);
};
