// `npm start`: the local OpenVidu server and the call page together, one command on a fresh
// clone. Prints the URL to open. Flags after `--`: `npm start -- --secret X`.
//
// Without --lan both listen on this machine only (127.0.0.1). With `--lan [address]`, phones and
// other machines on the network can join: the page and the OpenVidu server share one https origin
// (the page server forwards /openvidu, REST and WebSocket, to the OpenVidu server, which listens on
// 127.0.0.1 only), one self-signed certificate covers it (one warning to accept, not two), the
// tokens and the ICE candidates carry the LAN address, and the URL is printed with a QR code.
import { networkInterfaces } from 'node:os';
import { Command, Option } from 'commander';
import qrcode from 'qrcode-terminal';
import { createServer, type ServerOptions as ViteServerOptions } from 'vite';
import { startOpenViduServer } from '../server/index.ts';
import { consoleLogger } from '../server/log.ts';
import { makeSelfSignedCertificate } from '../server/tls.ts';

const program = new Command()
  .name('npm start')
  .description('Run the local OpenVidu server and the call page')
  .option('--port <number>', 'OpenVidu server port', process.env.OPENVIDU_PORT ?? '4443')
  .option('--page-port <number>', 'call page port', process.env.PAGE_PORT ?? '8080')
  .option('--secret <secret>', 'OpenVidu secret', process.env.OPENVIDU_SECRET ?? 'MY_SECRET')
  .option('--lan [address]', 'let phones and other machines join: https on this LAN address (found by itself if not given)')
  .option('--loopback-only', 'only 127.0.0.1 ICE candidates (this machine only)', false)
  .option('--ice-address <ip...>', 'extra address(es) to offer as ICE candidates')
  .addOption(new Option('--subscribe-flow <flow>', 'who offers on subscribe').choices(['client-offer', 'server-offer']).default('client-offer'))
  .parse();

const opts = program.opts<{
  port: string;
  pagePort: string;
  secret: string;
  lan?: string | true;
  loopbackOnly: boolean;
  iceAddress?: string[];
  subscribeFlow: 'client-offer' | 'server-offer';
}>();

/** The first IPv4 address of a real interface: what a phone on the same network can reach. */
function findLanAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((i) => i !== undefined && i.family === 'IPv4' && !i.internal)?.address;
}

const lan = opts.lan === undefined ? undefined : opts.lan === true ? findLanAddress() : opts.lan;
if (opts.lan !== undefined && !lan) {
  program.error('No network address found for --lan. Give the one phones can reach: npm start -- --lan 192.168.1.20');
}
if (lan && !/^\d{1,3}(\.\d{1,3}){3}$/.test(lan)) program.error(`--lan takes an IPv4 address, got "${lan}"`);

const pagePort = Number(opts.pagePort);
const pageOrigin = lan ? `https://${lan}:${pagePort}` : `http://localhost:${pagePort}`;

const server = await startOpenViduServer({
  port: Number(opts.port),
  // Never on the network by itself: with --lan, phones reach it through the page's origin.
  host: '127.0.0.1',
  secret: opts.secret,
  loopbackOnly: opts.loopbackOnly,
  iceAddresses: [...(lan ? [lan] : []), ...(opts.iceAddress ?? [])],
  // Tokens name the page's origin (wss://<lan>:<page port>), which forwards to this server.
  ...(lan ? { publicUrl: pageOrigin } : {}),
  subscribeFlow: opts.subscribeFlow,
  logger: consoleLogger,
}).catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') {
    console.error(`Port ${opts.port} is in use (another OpenVidu server, or an earlier npm start?). Stop it, or pick another: npm start -- --port 4444`);
    process.exit(1);
  }
  throw error;
});

// The page's config.json (served by vite.config.ts in development) comes from these named
// settings: this server, its secret, and link overrides allowed (a development page).
const openviduOrigin = `http://127.0.0.1:${server.port}`;
process.env.VITE_OPENVIDU_URL = lan ? pageOrigin : server.url;
process.env.VITE_OPENVIDU_SECRET = opts.secret;

const pageServer: ViteServerOptions = lan
  ? {
      host: lan,
      port: pagePort,
      strictPort: true,
      https: await makeSelfSignedCertificate([lan]),
      proxy: {
        '/openvidu': { target: openviduOrigin, ws: true },
        '/api/sessions': { target: openviduOrigin },
      },
    }
  : { host: '127.0.0.1', port: pagePort, strictPort: true };

const page = await createServer({ server: pageServer }).catch(async (error: unknown) => {
  await server.close();
  console.error(`The call page could not start on port ${opts.pagePort}: ${String(error)}. Pick another: npm start -- --page-port 8081`);
  process.exit(1);
});
await page.listen().catch(async (error: unknown) => {
  await Promise.allSettled([page.close(), server.close()]);
  console.error(`The call page could not listen on ${lan ?? 'localhost'}:${opts.pagePort}: ${String(error)}`);
  process.exit(1);
});

if (lan) {
  console.log(`\n  Call page:  ${pageOrigin}  (this machine, phones and others on your network)`);
  console.log('  Scan it with a phone on the same network. The certificate is self-signed: accept the warning once.');
  qrcode.generate(pageOrigin, { small: true }, (code) => console.log(code.replace(/^/gm, '  ')));
  console.log(`  OpenVidu server: behind ${pageOrigin}/openvidu  (secret ${opts.secret === 'MY_SECRET' ? 'MY_SECRET' : 'set'})`);
  if (opts.secret === 'MY_SECRET') {
    console.log('\n  WARNING: the secret is the default one, MY_SECRET, and anyone on your network can reach this server.');
    console.log('  Pick your own: npm start -- --lan --secret <something only you know>\n');
  }
} else {
  console.log(`\n  Call page:       ${pageOrigin}  (open it in two tabs to call yourself)`);
  console.log(`  OpenVidu server: ${server.url}  (secret ${opts.secret})`);
  console.log('  Both listen on this machine only; for phones and other machines: npm start -- --lan\n');
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 5000).unref();
  await Promise.allSettled([page.close(), server.close()]);
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
