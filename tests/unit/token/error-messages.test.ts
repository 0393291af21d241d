// What a failed token request says: to the person first, then a hint for the operator naming the
// setting to check; "npm start runs one for you" only where that is true.
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCAL_OPENVIDU_URL, forStatus, unexpectedBody, unexpectedStatus, unreachable } from '../../../src/token/error-messages.ts';

const OPERATOR = "For the site's operator:";
const openvidu = (url: string) => ({ kind: 'openvidu' as const, url });
const appServer = (url: string) => ({ kind: 'application-server' as const, url });

/** Everything before the operator's hint: what the person reads. */
const forPerson = (message: string) => message.slice(0, message.indexOf(OPERATOR));

describe('token error messages', () => {
  it('every message speaks to the person first, and the operator hint comes after', () => {
    const messages = [
      unreachable(openvidu('http://ov.example:4443'), new TypeError('x')).message,
      unreachable(openvidu('https://ov.example'), new TypeError('x')).message,
      unreachable(appServer('http://app.example'), new TypeError('x')).message,
      forStatus(openvidu('http://ov.example'), 'S', 401).message,
      forStatus(appServer('http://app.example'), 'S', 401).message,
      forStatus(appServer('http://app.example'), 'S', 503).message,
      unexpectedStatus(openvidu('http://ov.example'), 500).message,
      unexpectedBody(appServer('http://app.example'), 200, 'a token').message,
    ];
    for (const message of messages) {
      expect(message.indexOf(OPERATOR)).toBeGreaterThan(0);
      const person = forPerson(message);
      expect(person).toMatch(/^(You cannot join|Something went wrong)/);
      // The person's part names no server, URL or setting: that is the operator's.
      expect(person).not.toMatch(/https?:|OpenVidu|config\.json|application server/);
    }
  });

  it('the operator hint names the setting to check', () => {
    expect(unreachable(openvidu('http://ov.example:4443'), null).message).toContain('openviduUrl in config.json');
    expect(unreachable(appServer('http://app.example'), null).message).toContain('applicationServerUrl in config.json');
    expect(forStatus(openvidu('http://ov.example'), 'S', 401).message).toContain('openviduSecret in config.json');
    expect(forStatus(appServer('http://app.example'), 'S', 502).message).toContain('OPENVIDU_URL');
  });

  it('"npm start runs one for you" only for the default local server', () => {
    expect(unreachable(openvidu(DEFAULT_LOCAL_OPENVIDU_URL), null).message).toMatch(/npm start runs one for you\.$/);
    expect(unreachable(openvidu(`${DEFAULT_LOCAL_OPENVIDU_URL}/`), null).message).toContain('npm start runs one for you');
    for (const other of ['http://localhost:14443', 'http://ov.example:4443', 'https://localhost:4443']) {
      expect(unreachable(openvidu(other), null).message).not.toContain('npm start');
    }
    expect(unreachable(appServer(DEFAULT_LOCAL_OPENVIDU_URL), null).message).not.toContain('npm start');
  });

  it('an application server that cannot reach OpenVidu (502/503/504) is "not available", not a bug', () => {
    for (const status of [502, 503, 504]) {
      const error = forStatus(appServer('http://app.example'), 'S', status);
      expect(error.kind).toBe('unreachable');
      expect(forPerson(error.message)).toBe('You cannot join right now: the call service is not available. Try again in a moment. ');
    }
  });
});
