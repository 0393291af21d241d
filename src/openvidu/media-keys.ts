// Media keys the views name themselves: a tiny module of its own, so the call screen can import it
// without pulling openvidu-browser into the page's first load. Our screen's key; remote keys are
// stream ids (`str_…`), and our camera is `'self'`.
export const OWN_SCREEN_KEY = 'self-screen';
