// The container's entrypoint (docker/entrypoint.sh), run as the container runs it, on a copy of
// dist/: every variable, missing and wrong ones, values with quotes and slashes, and the command
// run after it. No Docker engine needed.
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRuntimeConfig, resolvePageConfig } from '../../src/config.ts';

const ENTRYPOINT = join(import.meta.dirname, '../../docker/entrypoint.sh');
let pageDir: string;
let builtConfig: string;

beforeAll(async () => {
  pageDir = mkdtempSync(join(tmpdir(), 'entrypoint-dist-'));
  // A copy of the real build; on a clean clone (unit tests run before `npm run build`) a build of its own.
  if (existsSync('dist/index.html')) cpSync('dist', pageDir, { recursive: true });
  else {
    const { VITEST: _v, VITEST_MODE: _m, NODE_ENV: _n, ...env } = process.env;
    await promisify(execFile)('npx', ['vite', 'build', '--outDir', pageDir, '--emptyOutDir', '--logLevel', 'error'], { env });
  }
  builtConfig = readFileSync(join(pageDir, 'config.json'), 'utf8');
}, 180_000);
afterAll(() => rmSync(pageDir, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  config: unknown;
}

/** Runs the entrypoint with only these variables (and PATH), and the command `echo ran <args>`. */
async function entrypoint(env: Record<string, string>): Promise<Run> {
  const result = await promisify(execFile)('sh', [ENTRYPOINT, 'sh', '-c', 'echo "ran $0 $1"', 'npm', 'serve'], {
    env: { PATH: process.env.PATH ?? '', PAGE_DIR: pageDir, ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
  return { ...result, config: JSON.parse(readFileSync(join(pageDir, 'config.json'), 'utf8')) };
}

describe('docker/entrypoint.sh', () => {
  it('with no variables: the secure mode on the page\'s own origin, no link overrides, then runs the command', async () => {
    const run = await entrypoint({});
    expect(run.code).toBe(0);
    expect(run.config).toEqual({ tokenMode: 'application-server', applicationServerUrl: '', allowLinkOverrides: false });
    expect(run.stdout).toContain('ran npm serve');
    // The page reads it as this origin's application server.
    expect(resolvePageConfig(parseRuntimeConfig(run.config), '?openviduUrl=https://evil.example', 'https://call.example/').token).toEqual({
      mode: 'application-server',
      url: 'https://call.example',
    });
  });

  it('every variable of the secure mode; OPENVIDU_SECRET, set for the server, stays out of the page', async () => {
    const url = 'https://app.example/tokens/v1?a="b"&c=\'d\'';
    const run = await entrypoint({
      TOKEN_MODE: 'application-server',
      APPLICATION_SERVER_URL: url,
      ALLOW_LINK_OVERRIDES: 'false',
      OPENVIDU_URL: 'https://ov.example',
      OPENVIDU_SECRET: 'server-only-secret',
    });
    expect(run.code).toBe(0);
    expect(run.config).toEqual({ tokenMode: 'application-server', applicationServerUrl: url, allowLinkOverrides: false });
    expect(readFileSync(join(pageDir, 'config.json'), 'utf8')).not.toContain('server-only-secret');
  });

  it('the insecure mode: URL and secret written exactly, quotes, slashes, backslashes and $ included', async () => {
    const secret = `a"b'c\\d/e $HOME \`x\` {}`;
    const run = await entrypoint({ TOKEN_MODE: 'openvidu', OPENVIDU_URL: 'https://ov.example:4443/base/', OPENVIDU_SECRET: secret, ALLOW_LINK_OVERRIDES: 'true' });
    expect(run.code).toBe(0);
    expect(run.config).toEqual({ tokenMode: 'openvidu', openviduUrl: 'https://ov.example:4443/base/', openviduSecret: secret, allowLinkOverrides: true });
    expect(resolvePageConfig(parseRuntimeConfig(run.config), '', 'https://call.example/').token).toEqual({
      mode: 'openvidu',
      url: 'https://ov.example:4443/base',
      secret,
    });
  });

  it('missing or wrong variables: refuses to start, says which, and leaves config.json as it was', async () => {
    await entrypoint({}); // a known config.json before each refusal
    const before = readFileSync(join(pageDir, 'config.json'), 'utf8');
    for (const [env, said] of [
      [{ TOKEN_MODE: 'openvidu', OPENVIDU_URL: 'https://ov.example' }, 'TOKEN_MODE=openvidu needs OPENVIDU_SECRET'],
      [{ TOKEN_MODE: 'openvidu', OPENVIDU_SECRET: 's' }, 'TOKEN_MODE=openvidu needs OPENVIDU_URL'],
      [{ TOKEN_MODE: 'application_server' }, 'TOKEN_MODE must be application-server or openvidu, not "application_server"'],
      [{ ALLOW_LINK_OVERRIDES: 'yes' }, 'ALLOW_LINK_OVERRIDES must be true or false, not "yes"'],
    ] as const) {
      const run = await entrypoint(env);
      expect(run.code, said).not.toBe(0);
      expect(run.stderr).toContain(said);
      expect(run.stdout).not.toContain('ran');
      expect(readFileSync(join(pageDir, 'config.json'), 'utf8')).toBe(before);
    }
  });

  it('the build\'s own config.json is the same secure default', () => {
    expect(JSON.parse(builtConfig)).toEqual({ tokenMode: 'application-server', applicationServerUrl: '', allowLinkOverrides: false });
  });

  it('what the container runs: the entrypoint, then exactly `npm run serve`, serving the page and the token API', async () => {
    const dockerfile = readFileSync(join(import.meta.dirname, '../../Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/app\/docker\/entrypoint\.sh"\]$/m);
    expect(dockerfile).toMatch(/^CMD \["npm", "run", "serve"\]$/m);

    // Nothing listens on port 9: OpenVidu is "down", which the token API must say.
    const child = spawn('sh', [ENTRYPOINT, 'npm', 'run', 'serve'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PAGE_DIR: pageDir, SERVER_PORT: '0', SERVER_HOST: '127.0.0.1', OPENVIDU_URL: 'http://127.0.0.1:9', OPENVIDU_SECRET: 'container-secret' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 60_000);
        const look = () => {
          const found = /on (http:\/\/localhost:\d+)/.exec(output);
          if (found?.[1]) {
            clearTimeout(timer);
            resolve(found[1]);
          }
        };
        child.stdout.on('data', look);
        child.once('exit', (code) => reject(new Error(`exited ${code}:\n${output}`)));
      });
      expect((await fetch(`${url}/`)).status).toBe(200);
      expect(await (await fetch(`${url}/config.json`)).json()).toEqual({ tokenMode: 'application-server', applicationServerUrl: '', allowLinkOverrides: false });
      const token = await fetch(`${url}/api/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"customSessionId":"C"}' });
      expect(token.status).toBe(503);
      expect(output).not.toContain('container-secret');
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    }
  }, 90_000);
});
