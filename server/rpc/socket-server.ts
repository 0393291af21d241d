// The JSON-RPC WebSocket at /openvidu: one RpcSocket per browser socket, a ping watchdog, and the
// hand-over to the core when a socket drops (the participant waits for `connect`).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { OpenViduCore } from '../core/openvidu.ts';
import type { Connection } from '../core/model.ts';
import type { Logger } from '../log.ts';
import { RpcCodes, RpcError } from './errors.ts';
import { errorFrame, notificationFrame, parseFrame, resultFrame, type RpcRequest } from './framing.ts';
import { dispatch, type SocketContext } from './handlers.ts';

export interface SocketServerOptions {
  core: OpenViduCore;
  logger: Logger;
  maxFrameBytes: number;
  /** 0: three times the interval the client announces in its first ping (Kurento's watchdog). */
  pingTimeoutMs: number;
}

const DEFAULT_PING_INTERVAL_MS = 20_000;

class RpcSocket implements SocketContext {
  connection: Connection | null = null;
  lastPingAt = performance.now();
  watchdogMs: number | undefined;

  constructor(
    readonly ws: WebSocket,
    readonly ip: string,
    private readonly fixedPingTimeoutMs: number,
  ) {}

  notify(method: string, params: object): void {
    this.send(notificationFrame(method, params));
  }

  send(frame: string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
  }

  announcePingInterval(ms: number | undefined): void {
    this.lastPingAt = performance.now();
    if (this.watchdogMs === undefined) {
      this.watchdogMs = this.fixedPingTimeoutMs || 3 * (ms && ms > 0 ? ms : DEFAULT_PING_INTERVAL_MS);
    }
  }
}

export class RpcSocketServer {
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<RpcSocket>();
  private readonly watchdog: NodeJS.Timeout;
  /** Test control: refuse new sockets until this moment (performance.now() clock). */
  private refuseUntil = 0;
  /** Test control: answers to these methods are held, each until its time is up or it is released. */
  private readonly answerHolds = new Map<string, { ms: number; released: Promise<void>; release: () => void }>();

  constructor(private readonly options: SocketServerOptions) {
    // Frames over the limit are refused by ws itself (close code 1009), before any parsing.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes });
    this.wss.on('connection', (ws: WebSocket, request: IncomingMessage) => this.accept(ws, request));
    this.watchdog = setInterval(() => this.checkPings(), 1000);
    this.watchdog.unref();
  }

  /** Upgrade requests for any path other than /openvidu (query ignored) are refused. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/openvidu') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    if (performance.now() < this.refuseUntil) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.wss.emit('connection', ws, request));
  }

  refuseNewSockets(ms: number): void {
    this.refuseUntil = performance.now() + ms;
  }

  /**
   * Test control: answer `method` only after `ms`; 0 ends that and sends the answers held so far.
   * The request is handled at once, as by a server whose answer is slow to arrive: a page can be
   * caught mid-join (connecting, publishing) and what it does then checked against what the
   * server really holds.
   */
  delayAnswers(method: string, ms: number): void {
    this.answerHolds.get(method)?.release();
    this.answerHolds.delete(method);
    if (ms <= 0) return;
    let release = () => undefined as void;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.answerHolds.set(method, { ms, released, release });
  }

  /** Test control: close a participant's socket abruptly, as a network drop would. */
  dropSocketOf(connectionId: string): boolean {
    for (const socket of this.sockets) {
      if (socket.connection?.id === connectionId && socket.connection.participant?.channel === socket) {
        socket.ws.terminate();
        return true;
      }
    }
    return false;
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  private accept(ws: WebSocket, request: IncomingMessage): void {
    const forwarded = request.headers['x-real-ip'];
    const ip = (typeof forwarded === 'string' && forwarded) || request.socket.remoteAddress || 'unknown';
    const socket = new RpcSocket(ws, ip, this.options.pingTimeoutMs);
    this.sockets.add(socket);
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      void this.handleFrame(socket, text);
    });
    ws.on('close', () => {
      this.sockets.delete(socket);
      const connection = socket.connection;
      if (connection) this.options.core.channelLost(connection, socket);
    });
    ws.on('error', () => {
      // An oversized or broken frame: ws closes the socket; the close handler does the rest.
    });
  }

  private async handleFrame(socket: RpcSocket, text: string): Promise<void> {
    const parsed = parseFrame(text);
    if (!parsed.ok) {
      socket.send(errorFrame(parsed.id, parsed.error));
      return;
    }
    const request: RpcRequest = parsed.request;
    try {
      const result = await dispatch(this.options.core, socket, request.method, request.params);
      const hold = this.answerHolds.get(request.method);
      if (hold) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([hold.released, new Promise((resolve) => (timer = setTimeout(resolve, hold.ms)))]);
        clearTimeout(timer);
      }
      socket.send(resultFrame(request.id, result, socket.connection?.participant?.rpcSessionId));
    } catch (error) {
      const rpcError =
        error instanceof RpcError ? error : new RpcError(RpcCodes.INTERNAL, `Internal error: ${(error as Error).message ?? String(error)}`);
      if (!(error instanceof RpcError)) this.options.logger(`error in ${request.method}: ${(error as Error).stack ?? String(error)}`);
      socket.send(errorFrame(request.id, rpcError));
    }
  }

  private checkPings(): void {
    const now = performance.now();
    for (const socket of this.sockets) {
      if (socket.watchdogMs === undefined || now - socket.lastPingAt <= socket.watchdogMs) continue;
      const connection = socket.connection;
      if (connection) this.options.core.pingTimeout(connection, socket);
      socket.close(4000, 'Close for not receive ping from client');
      socket.ws.terminate();
    }
  }

  async close(): Promise<void> {
    clearInterval(this.watchdog);
    for (const socket of this.sockets) socket.ws.terminate();
    this.sockets.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
