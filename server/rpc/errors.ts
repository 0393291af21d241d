// JSON-RPC errors. Codes from OpenVidu (OpenViduException) where the browser reacts to them (401 →
// OPENVIDU_PERMISSION_DENIED), the JSON-RPC 2.0 ones for framing and parameter problems.
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export const RpcCodes = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL: -32603,
  // OpenVidu's own
  TRANSPORT_ERROR: 102,
  USER_NOT_STREAMING: 105,
  ALREADY_PUBLISHING: 106,
  ROOM_NOT_FOUND: 202,
  ROOM_CLOSED: 203,
  USER_UNAUTHORIZED: 401,
  SDP_ERROR: 302,
  SIGNAL_FORMAT_INVALID: 600,
  SIGNAL_TO_INVALID: 601,
  USER_NOT_FOUND: 803,
  RECONNECTION_ERROR: 40007,
  GENERIC: 999,
} as const;
