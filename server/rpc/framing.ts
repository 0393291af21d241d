// JSON-RPC 2.0 framing for one WebSocket text frame: parse and classify what came in, build what
// goes out. openvidu-browser drops any frame without "jsonrpc":"2.0", so every frame carries it.
import { nestsDeeperThan } from '../json-depth.ts';
import { RpcCodes, RpcError } from './errors.ts';

export type RequestId = number | string;

export interface RpcRequest {
  id: RequestId;
  method: string;
  params: Record<string, unknown>;
}

export type Parsed = { ok: true; request: RpcRequest } | { ok: false; id: RequestId | null; error: RpcError };

export function parseFrame(text: string, maxDepth: number): Parsed {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { ok: false, id: null, error: new RpcError(RpcCodes.PARSE_ERROR, 'Parse error: the frame is not JSON') };
  }
  // V8 parses deep JSON without trouble; it is serialising it again (a notification, a REST
  // listing) that overflows the stack. Refused here, with the request's id, before any handler.
  if (nestsDeeperThan(text, maxDepth)) {
    const raw = typeof message === 'object' && message !== null ? (message as { id?: unknown }).id : undefined;
    const id = typeof raw === 'number' || typeof raw === 'string' ? raw : null;
    return { ok: false, id, error: new RpcError(RpcCodes.INVALID_PARAMS, `Invalid params: JSON nested deeper than ${maxDepth} levels`) };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return { ok: false, id: null, error: new RpcError(RpcCodes.INVALID_REQUEST, 'Invalid Request: expected a JSON-RPC 2.0 object') };
  }
  const m = message as Record<string, unknown>;
  const id = typeof m.id === 'number' || typeof m.id === 'string' ? m.id : null;
  if (m.jsonrpc !== '2.0' || typeof m.method !== 'string') {
    return { ok: false, id, error: new RpcError(RpcCodes.INVALID_REQUEST, 'Invalid Request: jsonrpc must be "2.0" and method a string') };
  }
  if (id === null) {
    // The browser never sends notifications; a request we cannot answer is refused rather than ignored.
    return { ok: false, id: null, error: new RpcError(RpcCodes.INVALID_REQUEST, 'Invalid Request: a request id is required') };
  }
  const params = m.params ?? {};
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    return { ok: false, id, error: new RpcError(RpcCodes.INVALID_PARAMS, 'Invalid params: params must be an object') };
  }
  return { ok: true, request: { id, method: m.method, params: params as Record<string, unknown> } };
}

/** Kurento's JSON-RPC layer injects the rpc session id into every object result and wraps other values. */
export function resultFrame(id: RequestId, result: unknown, rpcSessionId: string | undefined): string {
  const body =
    typeof result === 'object' && result !== null && !Array.isArray(result)
      ? { ...(result as object), ...(rpcSessionId ? { sessionId: rpcSessionId } : {}) }
      : { value: result, ...(rpcSessionId ? { sessionId: rpcSessionId } : {}) };
  return JSON.stringify({ id, result: body, jsonrpc: '2.0' });
}

export function errorFrame(id: RequestId | null, error: RpcError): string {
  const body: Record<string, unknown> = { code: error.code, message: error.message };
  if (error.data !== undefined) body.data = error.data;
  return JSON.stringify({ id, error: body, jsonrpc: '2.0' });
}

export function notificationFrame(method: string, params: object): string {
  return JSON.stringify({ method, params, jsonrpc: '2.0' });
}

/** Parameter readers: a wrong type is an INVALID_PARAMS error naming the parameter. */
export const param = {
  string(params: Record<string, unknown>, name: string): string {
    const value = params[name];
    if (typeof value !== 'string') throw new RpcError(RpcCodes.INVALID_PARAMS, `Invalid params: '${name}' must be a string`);
    return value;
  },
  optionalString(params: Record<string, unknown>, name: string): string | undefined {
    const value = params[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw new RpcError(RpcCodes.INVALID_PARAMS, `Invalid params: '${name}' must be a string`);
    return value;
  },
  optionalBoolean(params: Record<string, unknown>, name: string): boolean | undefined {
    const value = params[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw new RpcError(RpcCodes.INVALID_PARAMS, `Invalid params: '${name}' must be a boolean`);
    return value;
  },
  optionalNumber(params: Record<string, unknown>, name: string): number | undefined {
    const value = params[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RpcError(RpcCodes.INVALID_PARAMS, `Invalid params: '${name}' must be a number`);
    }
    return value;
  },
};
