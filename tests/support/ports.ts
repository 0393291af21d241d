// Ports the browser tests use. They differ from the defaults (4443 for the server, 8080 for the
// page) so that a developer's own `npm start` can keep running while the tests run.
export const TEST_SERVER_PORT = Number(process.env.TEST_SERVER_PORT ?? 14443);
export const TEST_PAGE_PORT = Number(process.env.TEST_PAGE_PORT ?? 18080);
export const TEST_SERVER_URL = `http://localhost:${TEST_SERVER_PORT}`;
export const TEST_PAGE_URL = `http://localhost:${TEST_PAGE_PORT}`;
export const TEST_SECRET = 'MY_SECRET';
