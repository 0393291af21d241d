// `npm start`: the local OpenVidu server and the call page together, one command on a fresh
// clone. Prints the URL to open. Flags after `--` go to the server: `npm start -- --secret X`.
import { Command, Option } from 'commander';
import { createServer } from 'vite';
import { startOpenViduServer } from '../server/index.ts';
import { consoleLogger } from '../server/log.ts';

const program = new Command()
  .name('npm start')
  .description('Run the local OpenVidu server and the call page')
  .option('--port <number>', 'OpenVidu server port', process.env.OPENVIDU_PORT ?? '4443')
  .option('--page-port <number>', 'call page port', process.env.PAGE_PORT ?? '8080')
  .option('--secret <secret>', 'OpenVidu secret', process.env.OPENVIDU_SECRET ?? 'MY_SECRET')
  .option('--loopback-only', 'only 127.0.0.1 ICE candidates (this machine only)', false)
  .option('--ice-address <ip...>', 'extra address(es) to offer as ICE candidates, e.g. your LAN IP')
  .addOption(new Option('--subscribe-flow <flow>', 'who offers on subscribe').choices(['client-offer', 'server-offer']).default('client-offer'))
  .parse();

const opts = program.opts<{
  port: string;
  pagePort: string;
  secret: string;
  loopbackOnly: boolean;
  iceAddress?: string[];
  subscribeFlow: 'client-offer' | 'server-offer';
}>();

const server = await startOpenViduServer({
  port: Number(opts.port),
  secret: opts.secret,
  loopbackOnly: opts.loopbackOnly,
  iceAddresses: opts.iceAddress ?? [],
  subscribeFlow: opts.subscribeFlow,
  logger: consoleLogger,
}).catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') {
    console.error(`Port ${opts.port} is in use (another OpenVidu server, or an earlier npm start?). Stop it, or pick another: npm start -- --port 4444`);
    process.exit(1);
  }
  throw error;
});

// The page learns the server's URL and secret through the same build-time variables a
// deployment would set.
process.env.VITE_OPENVIDU_URL = server.url;
process.env.VITE_OPENVIDU_SECRET = opts.secret;
const page = await createServer({ server: { port: Number(opts.pagePort), strictPort: true, host: true } }).catch(
  async (error: unknown) => {
    await server.close();
    console.error(`The call page could not start on port ${opts.pagePort}: ${String(error)}. Pick another: npm start -- --page-port 8081`);
    process.exit(1);
  },
);
await page.listen();

const pageUrl = `http://localhost:${opts.pagePort}`;
console.log(`\n  Call page:       ${pageUrl}  (open it in two tabs to call yourself)`);
console.log(`  OpenVidu server: ${server.url}  (secret ${opts.secret})\n`);

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
