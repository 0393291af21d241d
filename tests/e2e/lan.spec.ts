// `npm start` as a person runs it, in a child process. With `--lan`, phones join over https on one
// origin; here the "LAN address" is 127.0.0.2 (the loopback range, so nothing leaves the machine)
// and two Chromium contexts play the phones. Without `--lan`, nothing listens beyond 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectDecodingFrames, joinAndWaitForCall, leave, tileOf } from './call-page.ts';

const LAN = '127.0.0.2';

/** A port free right now on 127.0.0.1 (the OS picks it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Started {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** `npm start -- <args>`, once it printed its "Call page:" line. */
async function npmStart(args: string[]): Promise<Started> {
  const child = spawn('npx', ['tsx', 'scripts/start.ts', ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
    await exited;
  };
  try {
    await expect.poll(() => output, { timeout: 60_000, message: 'npm start printed its URL' }).toMatch(/Call page:.*\n[\s\S]*OpenVidu server:.*\n/);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return { child, output: () => output, stop };
}

/** Whether something accepts TCP connections at this address and port. */
function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A phone: a context of its own that accepts the self-signed certificate once, as a person does. */
async function phone(browser: Browser, url: string): Promise<{ page: Page; sockets: string[] }> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, permissions: ['camera', 'microphone'] });
  // Keeps the ICE candidates the server offers (in the SDP the page is given).
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { serverCandidates: string[] }).serverCandidates = seen;
    const set = RTCPeerConnection.prototype.setRemoteDescription;
    RTCPeerConnection.prototype.setRemoteDescription = function (this: RTCPeerConnection, ...args: Parameters<typeof set>) {
      for (const line of args[0]?.sdp?.split('\r\n') ?? []) if (line.startsWith('a=candidate:')) seen.push(line);
      return set.apply(this, args);
    } as typeof set;
  });
  const page = await context.newPage();
  const sockets: string[] = [];
  page.on('websocket', (socket) => sockets.push(socket.url()));
  await page.goto(url);
  return { page, sockets };
}

test('npm start -- --lan 127.0.0.2: one https origin with a QR code, a warning for the default secret, and two browsers in a call through it', async ({ browser }) => {
  test.setTimeout(180_000);
  const [port, pagePort] = [await freePort(), await freePort()];
  const started = await npmStart(['--lan', LAN, '--port', String(port), '--page-port', String(pagePort)]);
  try {
    const url = `https://${LAN}:${pagePort}`;
    const printed = started.output();
    expect(printed).toContain(`Call page:  ${url}`);
    expect(printed).toMatch(/[▄█▀]{20}/); // the QR code
    expect(printed).toContain('WARNING: the secret is the default one, MY_SECRET');
    // The OpenVidu server is reached only through the page's origin.
    expect(await listening(LAN, port)).toBe(false);
    expect(await listening(LAN, pagePort)).toBe(true);

    const alice = await phone(browser, url);
    const bob = await phone(browser, url);
    await joinAndWaitForCall(alice.page, 'LanCall', 'Alice');
    await joinAndWaitForCall(bob.page, 'LanCall', 'Bob');
    await expectDecodingFrames(tileOf(alice.page, 'Bob'));
    await expectDecodingFrames(tileOf(bob.page, 'Alice'));

    for (const { page, sockets } of [alice, bob]) {
      // The token named the LAN origin: the signalling socket went there, over wss.
      expect(sockets.filter((s) => s.startsWith(`wss://${LAN}:${pagePort}/openvidu`))).toHaveLength(1);
      expect(sockets.filter((s) => !s.startsWith(`wss://${LAN}:${pagePort}/`))).toEqual([]);
      // And the server offered its LAN address as an ICE candidate.
      const candidates = await page.evaluate(() => (window as unknown as { serverCandidates: string[] }).serverCandidates);
      expect(candidates.some((c) => c.includes(` ${LAN} `))).toBe(true);
    }
    await leave(bob.page);
    await leave(alice.page);
    await alice.page.context().close();
    await bob.page.context().close();
  } finally {
    await started.stop();
  }
});

test('npm start without --lan: the page and the server listen on this machine only', async () => {
  test.setTimeout(120_000);
  const [port, pagePort] = [await freePort(), await freePort()];
  const started = await npmStart(['--port', String(port), '--page-port', String(pagePort), '--secret', 'LocalOnly']);
  try {
    expect(started.output()).toContain(`Call page:       http://localhost:${pagePort}`);
    expect(started.output()).not.toContain('WARNING');
    expect(await listening('127.0.0.1', port)).toBe(true);
    expect(await listening('127.0.0.1', pagePort)).toBe(true);
    expect(await listening(LAN, port)).toBe(false);
    expect(await listening(LAN, pagePort)).toBe(false);
    // Its config.json points at its own server and allows link overrides (a development page).
    const config = (await (await fetch(`http://127.0.0.1:${pagePort}/config.json`)).json()) as Record<string, unknown>;
    expect(config).toMatchObject({ tokenMode: 'openvidu', openviduUrl: `http://localhost:${port}`, openviduSecret: 'LocalOnly', allowLinkOverrides: true });
  } finally {
    await started.stop();
  }
});
