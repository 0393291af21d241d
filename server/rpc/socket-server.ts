// The JSON-RPC WebSocket at /openvidu: one RpcSocket per browser socket, a ping watchdog, and the
// hand-over to the core when a socket drops (the participant waits for `connect`).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { ServerLimits } from '../config.ts';
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
  limits: ServerLimits;
  /** Take the client address from X-Real-IP (behind a configured reverse proxy only). */
  trustProxy: boolean;
}

/** Kurento's watchdog default when a client announces no interval. */
const DEFAULT_PING_INTERVAL_MS = 20_000;
/** How long a socket we close gets to answer the close frame before it is cut. */
const CLOSE_GRACE_MS = 2000;

/** A refusal on the upgrade path: the status line, then the socket is closed (and cut if the client lingers). */
function refuseUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
}

class RpcSocket implements SocketContext {
  private bound: Connection | null = null;
  lastPingAt = performance.now();
  /** Evict after this long without a ping: from the start, so a client that never pings is not kept forever. */
  watchdogMs: number;
  private intervalAnnounced = false;
  private cutOff = false;
  private readonly joinTimer: NodeJS.Timeout;

  constructor(
    readonly ws: WebSocket,
    readonly ip: string,
    private readonly owner: { options: SocketServerOptions; unjoinedLeft(socket: RpcSocket): void },
  ) {
    this.watchdogMs = this.timeoutFor(DEFAULT_PING_INTERVAL_MS);
    // A socket that neither joins nor reconnects in time is closed: it holds a slot for nothing.
    this.joinTimer = setTimeout(() => this.close(1008, 'joinRoom or connect expected'), owner.options.limits.joinTimeoutMs);
    this.joinTimer.unref();
  }

  /** The participant this socket speaks for: set once by joinRoom or connect. */
  get connection(): Connection | null {
    return this.bound;
  }

  set connection(connection: Connection | null) {
    this.bound = connection;
    if (connection) this.leaveUnjoined();
  }

  /** No longer counted among the unjoined sockets of its address (it joined, or it closed). */
  leaveUnjoined(): void {
    clearTimeout(this.joinTimer);
    this.owner.unjoinedLeft(this);
  }

  notify(method: string, params: object): void {
    this.send(notificationFrame(method, params));
  }

  /** Frames queue in memory while a client does not read; past the limit the socket is cut, once, and the log says so. */
  send(frame: string): void {
    if (this.ws.readyState !== WebSocket.OPEN || this.cutOff) return;
    const queued = this.ws.bufferedAmount;
    if (queued + frame.length > this.owner.options.limits.socketQueueBytes) {
      this.cutOff = true;
      const who = this.bound ? `participant ${this.bound.id}` : `an unjoined socket from ${this.ip}`;
      this.owner.options.logger(`${who} reads too slowly: ${queued} bytes queued for it, closing its socket`);
      this.ws.terminate();
      return;
    }
    this.ws.send(frame);
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(code, reason);
      setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
    }
  }

  announcePingInterval(ms: number | undefined): void {
    this.lastPingAt = performance.now();
    if (!this.intervalAnnounced) {
      this.intervalAnnounced = true;
      this.watchdogMs = this.timeoutFor(ms && ms > 0 ? ms : DEFAULT_PING_INTERVAL_MS);
    }
  }

  /** 3 × the interval (Kurento's watchdog), the interval clamped so no client can announce "never". */
  private timeoutFor(intervalMs: number): number {
    const { pingTimeoutMs, limits } = this.owner.options;
    if (pingTimeoutMs) return pingTimeoutMs;
    return 3 * Math.min(limits.maxPingIntervalMs, Math.max(limits.minPingIntervalMs, intervalMs));
  }
}

export class RpcSocketServer {
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<RpcSocket>();
  /** Sockets not joined yet, per client address (including upgrades under way). */
  private readonly unjoined = new Map<string, number>();
  private readonly counted = new WeakSet<object>();
  private readonly watchdog: NodeJS.Timeout;
  /** Test control: refuse new sockets until this moment (performance.now() clock). */
  private refuseUntil = 0;
  /** Test control: answers to these methods are held, each until its time is up or it is released. */
  private readonly answerHolds = new Map<string, { ms: number; released: Promise<void>; release: () => void }>();

  constructor(private readonly options: SocketServerOptions) {
    // Frames over the limit are refused by ws itself (close code 1009), before any parsing.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes });
    this.watchdog = setInterval(() => this.checkPings(), 1000);
    this.watchdog.unref();
  }

  /** Upgrade requests for any path other than /openvidu (query ignored) are refused. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A reset at any point (before, during or after the answer) must not become an uncaught error.
    socket.on('error', () => socket.destroy());
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/openvidu') {
      refuseUpgrade(socket, '404 Not Found');
      return;
    }
    if (performance.now() < this.refuseUntil) {
      refuseUpgrade(socket, '503 Service Unavailable');
      return;
    }
    const ip = this.addressOf(request);
    if ((this.unjoined.get(ip) ?? 0) >= this.options.limits.unjoinedSocketsPerAddress) {
      refuseUpgrade(socket, '503 Service Unavailable');
      return;
    }
    // Counted from now, so upgrades under way count too; released when it joins or closes.
    this.countUnjoined(socket, ip);
    socket.once('close', () => this.uncount(socket, ip));
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, ip, socket));
  }

  /** X-Real-IP only from a configured proxy; otherwise anyone could pick the address we log and count. */
  private addressOf(request: IncomingMessage): string {
    const forwarded = request.headers['x-real-ip'];
    if (this.options.trustProxy && typeof forwarded === 'string' && forwarded) return forwarded;
    return request.socket.remoteAddress ?? 'unknown';
  }

  private countUnjoined(key: object, ip: string): void {
    this.counted.add(key);
    this.unjoined.set(ip, (this.unjoined.get(ip) ?? 0) + 1);
  }

  private uncount(key: object, ip: string): void {
    if (!this.counted.delete(key)) return;
    const left = (this.unjoined.get(ip) ?? 1) - 1;
    if (left > 0) this.unjoined.set(ip, left);
    else this.unjoined.delete(ip);
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

  private accept(ws: WebSocket, ip: string, raw: Duplex): void {
    const socket = new RpcSocket(ws, ip, { options: this.options, unjoinedLeft: () => this.uncount(raw, ip) });
    this.sockets.add(socket);
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      void this.handleFrame(socket, text);
    });
    ws.on('close', () => {
      this.sockets.delete(socket);
      socket.leaveUnjoined();
      // Every participant this socket was the channel of, whatever `connect` did on the way.
      this.options.core.channelLost(socket);
    });
    ws.on('error', () => {
      // An oversized or broken frame: ws closes the socket; the close handler does the rest.
    });
  }

  private async handleFrame(socket: RpcSocket, text: string): Promise<void> {
    const parsed = parseFrame(text, this.options.limits.jsonDepth);
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
      if (now - socket.lastPingAt <= socket.watchdogMs) continue;
      this.options.core.pingTimeout(socket);
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
