// @vitest-environment node
// TLS mode (a self-signed certificate made at start: https for REST, wss for the WebSocket and in
// tokens), and the CLI: it starts, serves, and exits 0 on SIGTERM.
import { spawn } from 'node:child_process';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WELCOME_TEXT } from '../../server/http/welcome-route.ts';
import { basicAuth, startTestServer, type TestServer } from './helpers.ts';

let server: TestServer | undefined;
afterAll(async () => {
  await server?.close();
});

function httpsRequest(port: number, method: string, path: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, rejectUnauthorized: false, headers: { Authorization: basicAuth(), 'Content-Type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('TLS mode', () => {
  it('serves https, hands out wss tokens, and answers pings over wss', async () => {
    server = await startTestServer({ tls: true });
    expect(server.url).toMatch(/^https:\/\/localhost:\d+$/);
    const publicUrl = await httpsRequest(server.port, 'GET', '/openvidu/api/config/openvidu-publicurl');
    expect(publicUrl).toEqual({ status: 200, text: server.url });
    // Where a person lands after accepting the certificate: words, not a 404.
    expect(await httpsRequest(server.port, 'GET', '/')).toEqual({ status: 200, text: WELCOME_TEXT });
    await httpsRequest(server.port, 'POST', '/openvidu/api/sessions', JSON.stringify({ customSessionId: 'Secure' }));
    const connection = JSON.parse((await httpsRequest(server.port, 'POST', '/openvidu/api/sessions/Secure/connection', '{}')).text) as { token: string };
    expect(connection.token).toMatch(new RegExp(`^wss://localhost:${server.port}\\?sessionId=Secure&token=tok_`));
    const ws = new WebSocket(`wss://127.0.0.1:${server.port}/openvidu`, { rejectUnauthorized: false });
    const reply = await new Promise<string>((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () => ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'ping', params: { interval: 5000 }, id: 0 })));
      ws.once('message', (data) => resolve(data.toString()));
    });
    expect(JSON.parse(reply)).toMatchObject({ id: 0, result: { value: 'pong' } });
    ws.terminate();
  });
});

describe('the CLI', () => {
  it('starts with the given flags, logs session events, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--port', String(port), '--secret', 'CLI_SECRET', '--loopback-only'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 20_000;
      while (!output.includes('OpenVidu-compatible server on')) {
        if (Date.now() > deadline) throw new Error(`CLI did not start: ${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const created = await fetch(`http://127.0.0.1:${port}/openvidu/api/sessions`, {
        method: 'POST',
        headers: { Authorization: `Basic ${Buffer.from('OPENVIDUAPP:CLI_SECRET').toString('base64')}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ customSessionId: 'FromCli' }),
      });
      expect(created.status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/test/state`)).status).toBe(404);
      const deadline2 = Date.now() + 5000;
      while (!output.includes('session FromCli created')) {
        if (Date.now() > deadline2) throw new Error(`no log line: ${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(output).toMatch(/\d\d:\d\d:\d\d session FromCli created/);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).toContain('stopped');
  });
});
