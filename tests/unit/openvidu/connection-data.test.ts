import { describe, expect, it } from 'vitest';
import { cameraConnectionData, nicknameFromConnectionData, readConnectionData, screenConnectionData, UNNAMED_PARTICIPANT } from '../../../src/openvidu/connection-data.ts';

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

describe('connection data in every shape in use', () => {
  it('reads openvidu-call 2.x camera and screen connections, grouped by participantId', () => {
    expect(readConnectionData('{"clientData":"Alice","participantId":"0_abc","type":"CAMERA"}')).toEqual({
      nickname: 'Alice',
      participantId: '0_abc',
      type: 'CAMERA',
    });
    expect(readConnectionData('{"clientData":"Alice_SCREEN","participantId":"0_abc","type":"SCREEN"}')).toEqual({
      nickname: 'Alice',
      participantId: '0_abc',
      type: 'SCREEN',
    });
  });

  it('reads the tutorial shape and the client%/%server form as a camera without a participant id', () => {
    expect(readConnectionData('{"clientData":"Bob"}')).toEqual({ nickname: 'Bob', participantId: null, type: 'CAMERA' });
    expect(readConnectionData('{"clientData":"Bob","type":"CAMERA"}%/%{"role":"x"}').nickname).toBe('Bob');
  });

  it('trusts none of it: odd types and oversized ids fall back', () => {
    expect(readConnectionData('{"clientData":"Eve","participantId":42,"type":"ADMIN"}')).toEqual({
      nickname: 'Eve',
      participantId: null,
      type: 'CAMERA',
    });
    expect(readConnectionData(JSON.stringify({ clientData: 'Eve', participantId: 'x'.repeat(101) })).participantId).toBeNull();
  });

  it('sends our own data in openvidu-call\'s camera shape, which still has the tutorial\'s clientData', () => {
    const data = JSON.stringify(cameraConnectionData('Alice', 'p1'));
    expect(JSON.parse(data)).toEqual({ clientData: 'Alice', participantId: 'p1', type: 'CAMERA' });
    expect(readConnectionData(data)).toEqual({ nickname: 'Alice', participantId: 'p1', type: 'CAMERA' });
  });

  it("sends our screen connection's data in openvidu-call's screen shape: <nick>_SCREEN, the camera's participantId", () => {
    const data = JSON.stringify(screenConnectionData('Alice', 'p1'));
    expect(JSON.parse(data)).toEqual({ clientData: 'Alice_SCREEN', participantId: 'p1', type: 'SCREEN' });
    expect(readConnectionData(data)).toEqual({ nickname: 'Alice', participantId: 'p1', type: 'SCREEN' });
  });
});
