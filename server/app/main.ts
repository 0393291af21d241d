// `npm run serve`: the application server, configured from the environment with the names of the
// OpenVidu tutorials. What the container runs (see Dockerfile), and what tests/app/ test.
//
//   OPENVIDU_URL     where OpenVidu is                 (default http://localhost:4443)
//   OPENVIDU_SECRET  its secret, kept in this process  (default MY_SECRET, with a warning)
//   SERVER_PORT      port of this server               (default 5000)
//   SERVER_HOST      interface to listen on            (default 0.0.0.0, every interface)
//   PAGE_DIR         the built page                    (default dist)
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startAppServer } from './app-server.ts';

const pageDir = resolve(process.env.PAGE_DIR || 'dist');
if (!existsSync(join(pageDir, 'index.html'))) {
  console.error(`No built page in ${pageDir}: run \`npm run build\` first (or set PAGE_DIR).`);
  process.exit(1);
}
if (!existsSync(join(pageDir, 'config.json'))) {
  console.error(`${pageDir} has no config.json: the page would not know where to ask for tokens. Run \`npm run build\` again.`);
  process.exit(1);
}

const port = Number(process.env.SERVER_PORT || 5000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`SERVER_PORT must be a port number, got "${process.env.SERVER_PORT}"`);
  process.exit(1);
}

const server = await startAppServer({
  openviduUrl: process.env.OPENVIDU_URL || 'http://localhost:4443',
  openviduSecret: process.env.OPENVIDU_SECRET || 'MY_SECRET',
  port,
  host: process.env.SERVER_HOST || '0.0.0.0',
  pageDir,
}).catch((error: NodeJS.ErrnoException) => {
  console.error(error.code === 'EADDRINUSE' ? `Port ${port} is in use: set SERVER_PORT to another one.` : `Could not start: ${error.message}`);
  process.exit(1);
});

const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
