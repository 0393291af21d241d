// What a build carries: only the named VITE_ settings are read (into config.json, never into the
// bundle), and a secure-mode build holds no secret at all, neither the one set nor MY_SECRET.
// Each build goes to a temporary directory (not dist/, which the browser tests serve).
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const SECRET = 'BuildTimeSecret-4b1d';
const OTHER = 'UnrelatedViteVariable-93c2';
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function build(env: Record<string, string>): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'page-build-'));
  dirs.push(outDir);
  const { VITEST: _vitest, VITEST_MODE: _mode, NODE_ENV: _node, ...inherited } = process.env;
  await promisify(execFile)('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
    env: { ...inherited, ...env },
  });
  return outDir;
}

/** Every file of the build (source maps included) that contains the text. */
function filesContaining(dir: string, text: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => readFileSync(file, 'utf8').includes(text))
    .map((file) => relative(dir, file));
}

describe('what a build contains', () => {
  it('secure mode (the default) with VITE_OPENVIDU_SECRET set: neither that secret nor MY_SECRET anywhere', async () => {
    const out = await build({ VITE_OPENVIDU_SECRET: SECRET, VITE_OPENVIDU_URL: 'https://ov.example', VITE_SOME_OTHER: OTHER });
    expect(filesContaining(out, SECRET)).toEqual([]);
    expect(filesContaining(out, 'MY_SECRET')).toEqual([]);
    expect(filesContaining(out, OTHER)).toEqual([]);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toEqual({
      tokenMode: 'application-server',
      applicationServerUrl: '',
      allowLinkOverrides: false,
    });
  }, 180_000);

  it('explicit secure mode with an application server URL: no secret either', async () => {
    const out = await build({ VITE_TOKEN_MODE: 'application-server', VITE_APPLICATION_SERVER_URL: 'https://app.example', VITE_OPENVIDU_SECRET: SECRET });
    expect(filesContaining(out, SECRET)).toEqual([]);
    expect(filesContaining(out, 'MY_SECRET')).toEqual([]);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({ applicationServerUrl: 'https://app.example' });
  }, 180_000);

  it('the insecure mode asked for: the secret is in config.json only, never in the scripts', async () => {
    const out = await build({ VITE_TOKEN_MODE: 'openvidu', VITE_OPENVIDU_SECRET: SECRET, VITE_SOME_OTHER: OTHER });
    expect(filesContaining(out, SECRET)).toEqual(['config.json']);
    expect(filesContaining(out, OTHER)).toEqual([]);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({ tokenMode: 'openvidu', allowLinkOverrides: false });
  }, 180_000);
});
