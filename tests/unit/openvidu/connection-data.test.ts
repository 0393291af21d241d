import { describe, expect, it } from 'vitest';
import { UNNAMED_PARTICIPANT, nicknameFromConnectionData } from '../../../src/openvidu/connection-data.ts';

describe('a remote nickname from connection data', () => {
  it.each([
    ['{"clientData":"Alice"}', 'Alice'],
    ['{"clientData":"Alice"}%/%server data', 'Alice'],
    ['{"clientData":"  Bob  "}', 'Bob'],
    ['{"clientData":"שלום 👋"}', 'שלום 👋'],
    ['{"clientData":"<img src=x onerror=alert(1)>"}', '<img src=x onerror=alert(1)>'],
  ])('reads %j as %j', (data, nickname) => {
    expect(nicknameFromConnectionData(data)).toBe(nickname);
  });

  it.each([[''], [null], [undefined], ['not json'], ['{"clientData":42}'], ['{"other":"x"}'], ['null'], ['{"clientData":"   "}']])(
    'falls back to a label for %j',
    (data) => {
      expect(nicknameFromConnectionData(data)).toBe(UNNAMED_PARTICIPANT);
    },
  );

  it('shortens a very long nickname without cutting an emoji in half', () => {
    const nickname = nicknameFromConnectionData(JSON.stringify({ clientData: '👋'.repeat(80) }));
    expect(nickname).toBe(`${'👋'.repeat(50)}…`);
  });
});
