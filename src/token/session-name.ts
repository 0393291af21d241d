// The rule OpenVidu Server applies to `customSessionId`; checking it before the request lets the
// page explain the problem while the person is still typing.
const SESSION_NAME = /^[a-zA-Z0-9_-]+$/;

export function isValidSessionName(name: string): boolean {
  return SESSION_NAME.test(name);
}
