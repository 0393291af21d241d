// GET / answers with a line of plain text. The page tells people to open the server's https URL
// in a tab to accept its self-signed certificate; once they do, they should land on words saying
// it worked and what to do next, not on a 404 that looks like one more failure.
import type { Route } from './context.ts';

export const WELCOME_TEXT =
  'This OpenVidu server is running. If you opened it to accept its certificate, that is done: ' +
  'close this tab, go back to the call page and try again.\n';

export const welcomeRoute: Route = async (req, res, segments) => {
  if (segments.length !== 0 || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(WELCOME_TEXT) });
  res.end(req.method === 'HEAD' ? undefined : WELCOME_TEXT);
  return true;
};
