// A session name to fill in, from a shared link (`?session=Name`): always honoured, unlike the
// settings config.ts reads from a link. Apart from config.ts so the form does not wait for that.
export function sessionFromLink(search: string): string | null {
  return new URLSearchParams(search).get('session');
}
