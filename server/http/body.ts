// Request bodies: read with a size cap (413 past it) and parsed as JSON (400 when it is not).
import type { IncomingMessage } from 'node:http';
import { DEFAULT_LIMITS } from '../config.ts';
import { nestsDeeperThan } from '../json-depth.ts';
import { HttpError } from './respond.ts';

export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw new HttpError(413, `Request body larger than ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new HttpError(413, `Request body larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** An absent or empty body is an empty object: node-client and curl users both send none sometimes. */
export async function readJsonObject(req: IncomingMessage, limit: number, maxDepth = DEFAULT_LIMITS.jsonDepth): Promise<Record<string, unknown>> {
  const text = await readBody(req, limit);
  if (text.trim() === '') return {};
  if (nestsDeeperThan(text, maxDepth)) throw new HttpError(400, `Request body nests deeper than ${maxDepth} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'Request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, 'Request body must be a JSON object');
  return value as Record<string, unknown>;
}
