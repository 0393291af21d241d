// The command line: `npx tsx server/main.ts [options]`. Defaults match the openvidu-dev container.
import { Command, Option } from 'commander';
import { startOpenViduServer } from './index.ts';
import { consoleLogger } from './log.ts';

const program = new Command()
  .name('openvidu-local')
  .description('A local OpenVidu 2.x compatible server (REST, JSON-RPC, werift SFU)')
  .option('--port <number>', 'port for http(s) and the WebSocket', process.env.OPENVIDU_PORT ?? '4443')
  .option('--secret <secret>', 'OpenVidu secret (Basic auth OPENVIDUAPP:<secret>)', process.env.OPENVIDU_SECRET ?? 'MY_SECRET')
  .option('--public-url <url>', 'URL clients use to reach this server (default http(s)://localhost:<port>)', process.env.OPENVIDU_PUBLICURL)
  .option('--tls', 'serve https/wss with a self-signed certificate made at start', false)
  .option('--loopback-only', 'offer and accept only 127.0.0.1 ICE candidates (tests)', false)
  .option('--ice-address <ip...>', 'extra host address(es) to offer as ICE candidates, e.g. a LAN IP')
  .addOption(new Option('--subscribe-flow <flow>', 'who offers on subscribe').choices(['client-offer', 'server-offer']).default('client-offer'))
  .option('--test-controls', 'enable the /test routes used by browser tests', false)
  .option('--trust-proxy', 'take client addresses from X-Real-IP (only behind a reverse proxy that sets it)', false)
  .parse();

const opts = program.opts<{
  port: string;
  secret: string;
  publicUrl?: string;
  tls: boolean;
  loopbackOnly: boolean;
  iceAddress?: string[];
  subscribeFlow: 'client-offer' | 'server-offer';
  testControls: boolean;
  trustProxy: boolean;
}>();

const port = Number(opts.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  program.error(`--port must be a port number, got "${opts.port}"`);
}

const server = await startOpenViduServer({
  port,
  secret: opts.secret,
  ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
  tls: opts.tls,
  loopbackOnly: opts.loopbackOnly,
  iceAddresses: opts.iceAddress ?? [],
  subscribeFlow: opts.subscribeFlow,
  testControls: opts.testControls,
  trustProxy: opts.trustProxy,
  logger: consoleLogger,
});

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  consoleLogger(`${signal} received, closing sockets and peer connections`);
  // A stuck peer connection must not keep the process from exiting.
  const force = setTimeout(() => process.exit(0), 5000);
  force.unref();
  await server.close();
  consoleLogger('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
