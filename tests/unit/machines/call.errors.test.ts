// toCallError turns an actor's rejection into the plain error record the machine keeps and the
// page shows. The certificate address becomes a link on the page, so only https may pass.
import { describe, expect, it } from 'vitest';
import { toCallError } from '../../../machines/call.errors.ts';

describe('toCallError', () => {
  it('keeps kind, message and an https certificate address as plain data', () => {
    const rejection = Object.assign(new Error('Cannot reach …'), { kind: 'unreachable', certificateUrl: 'https://localhost:4443' });
    expect(toCallError(rejection)).toEqual({ kind: 'unreachable', message: 'Cannot reach …', certificateUrl: 'https://localhost:4443' });
  });

  it.each(['javascript:alert(1)', 'http://localhost:4443', 'data:text/html,<b>x</b>', 42])('drops a certificate address that is not https (%s)', (certificateUrl) => {
    const error = toCallError({ kind: 'unreachable', message: 'Cannot reach …', certificateUrl });
    expect(error).toEqual({ kind: 'unreachable', message: 'Cannot reach …' });
  });

  it('turns anything unrecognised into an unexpected error with words', () => {
    expect(toCallError(undefined)).toEqual({ kind: 'unexpected', message: 'Something unexpected went wrong: undefined' });
    expect(toCallError({ kind: 'noSuchKind', message: 'odd' })).toEqual({ kind: 'unexpected', message: 'odd' });
  });
});
