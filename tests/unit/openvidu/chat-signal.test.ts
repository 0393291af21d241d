import { describe, expect, it } from 'vitest';
import { readChatSignal } from '../../../src/openvidu/chat-signal.ts';

describe('a chat signal from another page', () => {
  it('reads openvidu-call\'s {message, nickname}', () => {
    expect(readChatSignal('{"message":"Hi all","nickname":"Alice"}', 'x')).toEqual({ nickname: 'Alice', text: 'Hi all' });
  });

  it('keeps hostile text as it is (the page shows it as text)', () => {
    const text = '<img src=x onerror=alert(1)>';
    expect(readChatSignal(JSON.stringify({ message: text, nickname: 'Eve' }), 'x')?.text).toBe(text);
  });

  it('falls back to the connection\'s name when the nickname is missing or odd', () => {
    expect(readChatSignal('{"message":"Hi"}', 'Bob')).toEqual({ nickname: 'Bob', text: 'Hi' });
    expect(readChatSignal('{"message":"Hi","nickname":42}', 'Bob')?.nickname).toBe('Bob');
  });

  it.each([[undefined], [''], ['not json'], ['null'], ['42'], ['{"nickname":"A"}'], ['{"message":"   "}'], ['{"message":7}']])(
    'drops %j',
    (data) => expect(readChatSignal(data, 'Bob')).toBeNull(),
  );

  it('drops huge data, and cuts long text and names to their limits', () => {
    expect(readChatSignal(JSON.stringify({ message: 'x'.repeat(10_000) }), 'Bob')).toBeNull();
    const read = readChatSignal(JSON.stringify({ message: '👋'.repeat(600), nickname: 'n'.repeat(80) }), 'Bob');
    expect(read?.text).toBe(`${'👋'.repeat(500)}…`);
    expect(read?.nickname).toBe(`${'n'.repeat(50)}…`);
  });
});
