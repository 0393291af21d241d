// What the inspector is sent: masked and plain, whatever shape the secret or token arrives in.
import { describe, expect, it } from 'vitest';
import { inspectRequested } from '../../src/inspect/gate.ts';
import { MASK, scrub } from '../../src/inspect/scrub.ts';

const TOKEN = 'ws://localhost:4443?sessionId=SessionA&token=tok_AbC123';

describe('scrub', () => {
  it('masks tokens in strings, token-like keys, and the secret wherever it appears', () => {
    const out = scrub(
      {
        type: 'xstate.done.actor.fetchToken',
        output: TOKEN,
        input: { token: TOKEN, sessionName: 'SessionA' },
        nested: [{ message: `Bad secret S3CRET in ${TOKEN}`, secret: 'S3CRET' }],
        bare: 'tok_Zz9',
      },
      ['S3CRET'],
    );
    expect(out).toEqual({
      type: 'xstate.done.actor.fetchToken',
      output: `ws://localhost:4443?sessionId=SessionA&token=${MASK}`,
      input: { token: MASK, sessionName: 'SessionA' },
      nested: [{ message: `Bad secret ${MASK} in ws://localhost:4443?sessionId=SessionA&token=${MASK}`, secret: MASK }],
      bare: MASK,
    });
  });

  it('turns what JSON cannot carry into plain data: errors, functions, cycles, toJSON', () => {
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    const error = Object.assign(new Error(`refused ${TOKEN}`), { kind: 'secretRefused' });
    const out = scrub({ error, fn: function guard() {}, cyclic, ref: { toJSON: () => ({ id: 'x' }) } }, []);
    expect(out).toEqual({
      error: { name: 'Error', message: `refused ws://localhost:4443?sessionId=SessionA&token=${MASK}`, kind: 'secretRefused' },
      fn: { type: 'guard' },
      cyclic: { name: 'a', self: '[Circular]' },
      ref: { id: 'x' },
    });
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });

  it('leaves ordinary data alone', () => {
    const snapshot = { value: { session: 'connecting' }, context: { nickname: 'Alice', remoteStreams: [], error: null, media: { audio: true } } };
    expect(scrub(snapshot, ['MY_SECRET'])).toEqual(snapshot);
  });
});

describe('inspectRequested', () => {
  it('is on with ?inspect where config.json allows link overrides, or with VITE_INSPECT=true', () => {
    expect(inspectRequested('?inspect', true, undefined)).toBe(true);
    expect(inspectRequested('?session=A&inspect=1', true, undefined)).toBe(true);
    expect(inspectRequested('', false, 'true')).toBe(true);
    expect(inspectRequested('?session=A', true, undefined)).toBe(false);
    expect(inspectRequested('', true, 'false')).toBe(false);
  });

  it('ignores ?inspect where links may not change the page (a production build)', () => {
    expect(inspectRequested('?inspect', false, undefined)).toBe(false);
    expect(inspectRequested('?inspect', false, 'false')).toBe(false);
  });
});
