// Shared by the server tests: an in-process server on a free port, a raw JSON-RPC client speaking
// exactly what openvidu-browser sends, a werift peer that makes real SDP offers, and REST calls.
import { request } from 'node:http';
import { RTCPeerConnection, RTCRtpCodecParameters } from 'werift';
import WebSocket from 'ws';
import { startOpenViduServer, type ServerOptions } from '../../server/index.ts';
import { silentLogger } from '../../server/log.ts';
import { localServer, type ServerState } from '../support/local-server.ts';

export const SECRET = 'TEST_SECRET';

export interface TestServer {
  url: string;
  port: number;
  wsUrl: string;
  close(): Promise<void>;
}

export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const server = await startOpenViduServer({
    port: 0,
    host: '127.0.0.1',
    secret: SECRET,
    loopbackOnly: true,
    testControls: true,
    logger: silentLogger,
    // Raw test clients ping once, not every 5 s as a browser does; the watchdog test sets its own.
    pingTimeoutMs: 120_000,
    ...options,
  });
  return { ...server, wsUrl: `ws://127.0.0.1:${server.port}/openvidu` };
}

export function basicAuth(secret = SECRET): string {
  return `Basic ${Buffer.from(`OPENVIDUAPP:${secret}`).toString('base64')}`;
}

export async function rest(server: TestServer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method,
    headers: { Authorization: basicAuth(), 'Content-Type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

/** One more token for an existing session. */
export async function createToken(server: TestServer, sessionId: string, role = 'PUBLISHER'): Promise<string> {
  const response = await rest(server, 'POST', `/openvidu/api/sessions/${sessionId}/connection`, { role });
  if (response.status !== 200) throw new Error(`create connection: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** A session and `count` tokens, through REST. */
export async function sessionWithTokens(server: TestServer, sessionId: string, count: number, role = 'PUBLISHER'): Promise<string[]> {
  const created = await rest(server, 'POST', '/openvidu/api/sessions', { customSessionId: sessionId });
  if (created.status !== 200) throw new Error(`create session: ${created.status}`);
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) tokens.push(await createToken(server, sessionId, role));
  return tokens;
}

export interface RpcMessage {
  id?: number | string | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
  jsonrpc?: string;
}

/** A raw JSON-RPC client. Every wait is bounded by a timeout, so a missing reply fails the test. */
export class RpcClient {
  readonly messages: RpcMessage[] = [];
  private nextId = 0;
  private waiters: { match: (m: RpcMessage) => boolean; resolve: (m: RpcMessage) => void }[] = [];
  closeCode: number | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as RpcMessage;
      this.messages.push(message);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(message)) return true;
        w.resolve(message);
        return false;
      });
    });
    ws.on('close', (code) => {
      this.closeCode = code;
    });
  }

  static async open(url: string, headers?: Record<string, string>): Promise<RpcClient> {
    const ws = new WebSocket(url, headers ? { headers } : {});
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new RpcClient(ws);
  }

  wait(match: (m: RpcMessage) => boolean, timeoutMs = 5000, what = 'a message'): Promise<RpcMessage> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  sendRaw(text: string): void {
    this.ws.send(text);
  }

  /** Sends a request and resolves with the whole response frame (result or error). */
  call(method: string, params?: Record<string, unknown>): Promise<RpcMessage> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', method, ...(params ? { params } : {}), id }));
    return this.wait((m) => m.id === id && (m.result !== undefined || m.error !== undefined), 10_000, `the reply to ${method}`);
  }

  notification(method: string, predicate: (params: Record<string, unknown>) => boolean = () => true, timeoutMs = 5000): Promise<RpcMessage> {
    return this.wait((m) => m.method === method && m.id === undefined && predicate(m.params ?? {}), timeoutMs, `notification ${method}`);
  }

  notifications(method?: string): RpcMessage[] {
    return this.messages.filter((m) => m.method !== undefined && (method === undefined || m.method === method));
  }

  /** ping then joinRoom, as openvidu-browser does on connect. */
  async join(token: string, nickname = 'tester'): Promise<Record<string, unknown>> {
    await this.call('ping', { interval: 5000 });
    const sessionId = new URL(token.replace(/^ws/, 'http')).searchParams.get('sessionId') ?? '';
    const reply = await this.call('joinRoom', {
      token,
      session: sessionId,
      platform: 'Node test',
      sdkVersion: '2.32.2',
      metadata: JSON.stringify({ clientData: nickname }),
      secret: '',
      recorder: false,
      stt: false,
    });
    if (!reply.result) throw new Error(`joinRoom failed: ${JSON.stringify(reply.error)}`);
    return reply.result;
  }

  close(): void {
    this.ws.close(4102, 'Connection closed by client');
  }
}

/** A real SDP offer from a werift peer, as a browser publisher or subscriber would send. */
export async function makeOffer(direction: 'sendonly' | 'recvonly'): Promise<{ sdp: string; pc: RTCPeerConnection }> {
  const pc = new RTCPeerConnection({
    codecs: {
      audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })],
      video: [new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000 })],
    },
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
  });
  pc.addTransceiver('audio', { direction });
  pc.addTransceiver('video', { direction });
  await pc.setLocalDescription(await pc.createOffer());
  return { sdp: pc.localDescription?.sdp ?? '', pc };
}

export async function publish(client: RpcClient): Promise<{ streamId: string; pc: RTCPeerConnection; answer: string }> {
  const { sdp, pc } = await makeOffer('sendonly');
  const { streamId, answer } = await publishOffer(client, sdp);
  return { streamId, pc, answer };
}

/** publishVideo with a given offer, as openvidu-browser sends it (the soak reuses one offer for all). */
export async function publishOffer(client: RpcClient, sdpOffer: string): Promise<{ streamId: string; answer: string }> {
  const reply = await client.call('publishVideo', {
    sdpOffer,
    doLoopback: false,
    hasAudio: true,
    hasVideo: true,
    audioActive: true,
    videoActive: true,
    typeOfVideo: 'CAMERA',
    frameRate: 30,
    videoDimensions: JSON.stringify({ width: 640, height: 480 }),
  });
  if (!reply.result) throw new Error(`publishVideo failed: ${JSON.stringify(reply.error)}`);
  return { streamId: reply.result.id as string, answer: reply.result.sdpAnswer as string };
}

/** What /test/state reports (the shared client's type). */
export type TestState = ServerState;

/** The shared client (tests/support/local-server.ts) for this server's REST API and test controls. */
export const controlsOf = (server: TestServer) => localServer(server.url, SECRET);

export async function testState(server: TestServer): Promise<TestState> {
  return controlsOf(server).state();
}

/** Poll until `check` passes; bounded, so a condition that never holds fails the test. */
export async function eventually<T>(read: () => Promise<T> | T, check: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}

/** A request with the path sent exactly as given: fetch would normalise "../" away before sending. */
export function rawRequest(server: TestServer, method: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers: { Authorization: basicAuth() } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * After an attack: the server still answers /openvidu/api/config, and two honest participants can
 * still join a fresh session and exchange a signal. Everything it opens is closed again.
 */
export async function expectServerStillServes(server: TestServer): Promise<void> {
  const config = await rest(server, 'GET', '/openvidu/api/config');
  if (config.status !== 200) throw new Error(`/openvidu/api/config answered ${config.status}`);
  await config.arrayBuffer();
  const sessionId = `Honest_${Math.random().toString(36).slice(2, 10)}`;
  const [tokenA, tokenB] = await sessionWithTokens(server, sessionId, 2);
  const alice = await RpcClient.open(server.wsUrl);
  const bob = await RpcClient.open(server.wsUrl);
  try {
    await alice.join(tokenA as string, 'Alice');
    const bobId = (await bob.join(tokenB as string, 'Bob')).id as string;
    const sent = await alice.call('sendMessage', { message: JSON.stringify({ to: [bobId], data: 'hello', type: 'signal:chat' }) });
    if (sent.error) throw new Error(`honest sendMessage failed: ${JSON.stringify(sent.error)}`);
    const got = await bob.notification('sendMessage', (p) => p.data === 'hello');
    if (got.params?.type !== 'signal:chat') throw new Error(`honest signal arrived as ${JSON.stringify(got.params)}`);
    await alice.call('leaveRoom', {});
    await bob.call('leaveRoom', {});
  } finally {
    alice.ws.terminate();
    bob.ws.terminate();
  }
}

let collect: (() => void) | undefined;

/**
 * The server's memory after full collections: heap plus array buffers (queued socket frames are
 * Buffers, outside the JS heap). The server runs in the test's process, so this is its memory.
 */
export async function memoryAfterGc(): Promise<number> {
  if (!collect) {
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  for (let i = 0; i < 4; i++) {
    collect();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

export const MiB = 1024 * 1024;
export const mib = (bytes: number): string => (bytes / MiB).toFixed(1);

/** A logger that keeps every line, for tests of what the server writes. */
export function capturingLogger(): { lines: string[]; logger: (line: string) => void } {
  const lines: string[] = [];
  return { lines, logger: (line) => lines.push(line) };
}
