// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { isValidSessionName } from '../../../src/token/index.ts';

describe('isValidSessionName', () => {
  it.each(['SessionA', 'a-b_c9'])('accepts %j', (name) => {
    expect(isValidSessionName(name)).toBe(true);
  });

  it.each(['', 'a b', '../x', '<img>'])('refuses %j', (name) => {
    expect(isValidSessionName(name)).toBe(false);
  });
});
