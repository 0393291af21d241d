// A signalling-only OpenVidu participant: the JSON-RPC calls openvidu-browser makes to join, signal
// and leave, over a plain `ws` socket, with no media. Used for the signalling scale figure.
import WebSocket from 'ws';
import { sleep } from './harness.ts';

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

export class RpcClient {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  /** Called with (method, params, performance.now()) for every notification. */
  onNotification: (method: string, params: Record<string, unknown>, at: number) => void = () => {};
  connectionId = '';

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const at = performance.now();
      const message = JSON.parse(String(data)) as { id?: number; method?: string; params?: Record<string, unknown>; result?: unknown; error?: { message: string } };
      if (message.method) {
        this.onNotification(message.method, message.params ?? {}, at);
        return;
      }
      const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id as number);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    });
    ws.on('close', () => {
      for (const waiter of this.pending.values()) waiter.reject(new Error('socket closed'));
      this.pending.clear();
    });
  }

  /** Opens the socket the token names (ws://host:port?sessionId=…&token=…). */
  static async open(token: string, timeoutMs = 10_000): Promise<RpcClient> {
    const url = new URL(token);
    const ws = new WebSocket(`${url.protocol}//${url.host}/openvidu`);
    await Promise.race([
      new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      }),
      sleep(timeoutMs).then(() => {
        throw new Error('WebSocket open timed out');
      }),
    ]);
    return new RpcClient(ws);
  }

  call(method: string, params: Record<string, unknown>, timeoutMs = 10_000): Promise<unknown> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', method, params, id }));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method} timed out`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
    });
  }

  async joinRoom(token: string, nickname: string): Promise<void> {
    const sessionId = new URL(token).searchParams.get('sessionId') ?? '';
    const result = (await this.call('joinRoom', {
      token, session: sessionId, platform: 'bench (ws)', sdkVersion: '2.32.2',
      metadata: JSON.stringify({ clientData: nickname }), secret: '', recorder: false,
    })) as { id: string };
    this.connectionId = result.id;
  }

  signal(data: string): Promise<unknown> {
    return this.call('sendMessage', { message: JSON.stringify({ to: [], data, type: 'signal:bench' }) });
  }

  async leave(): Promise<void> {
    await this.call('leaveRoom', {}).catch(() => undefined);
    this.ws.close();
  }
}
