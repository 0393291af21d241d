// Every HTTP request passes here: CORS on everything, preflight answered before auth, then the
// first route that owns the path. Errors become the OpenVidu error JSON (or an empty body).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { appServerRoutes } from './app-server-routes.ts';
import { applyCors, isPreflight } from './auth-cors.ts';
import { pathSegments, type HttpContext, type Route } from './context.ts';
import { restRoutes } from './rest-routes.ts';
import { HttpError, sendEmpty, sendError } from './respond.ts';
import { testControlRoutes } from './test-controls.ts';
import { welcomeRoute } from './welcome-route.ts';

export function createRequestHandler(ctx: HttpContext): (req: IncomingMessage, res: ServerResponse) => void {
  const routes: Route[] = [welcomeRoute, restRoutes, appServerRoutes, ...(ctx.options.testControls ? [testControlRoutes] : [])];
  return (req, res) => {
    void handle(req, res, ctx, routes);
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, ctx: HttpContext, routes: Route[]): Promise<void> {
  applyCors(req, res);
  if (isPreflight(req)) {
    sendEmpty(res, 204);
    return;
  }
  try {
    const segments = pathSegments(req.url ?? '/');
    if (!segments) throw new HttpError(400, 'Malformed percent-encoding in the path');
    for (const route of routes) {
      if (await route(req, res, segments, ctx)) return;
    }
    throw new HttpError(404, 'Not found', true);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ECONNRESET') {
      // The client went away mid-body: nothing to answer, and nothing of ours went wrong.
      ctx.options.logger(`${req.method} ${(req.url ?? '').split('?')[0]}: the client aborted the request`);
      res.destroy();
      return;
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof HttpError) {
      if (error.status === 413) res.setHeader('Connection', 'close');
      if (error.emptyBody) sendEmpty(res, error.status);
      else sendError(req, res, error.status, error.message);
      return;
    }
    ctx.options.logger(`error serving ${req.method} ${req.url}: ${(error as Error).stack ?? String(error)}`);
    sendError(req, res, 500, 'Internal server error');
  }
}
