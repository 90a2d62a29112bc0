import WebSocket from 'ws';
import { expect, test } from './fixtures.js';

test('the API refuses calls without the token or with a wrong one', async ({ host, request }) => {
  const rpc = `${host.origin}/api/rpc/app.info`;

  const anonymous = await request.post(rpc, { data: {} });
  expect(anonymous.status()).toBe(401);
  expect(await anonymous.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });

  const wrong = await request.post(rpc, { data: {}, headers: { Authorization: 'Bearer not-the-token' } });
  expect(wrong.status()).toBe(401);

  const right = await request.post(rpc, { data: {}, headers: { Authorization: `Bearer ${host.token}` } });
  expect(right.status()).toBe(200);
  expect(await right.json()).toMatchObject({ ok: true, value: { name: expect.any(String), mode: expect.any(String) } });
});

test('the page is served only with the token', async ({ host, request }) => {
  expect((await request.get(`${host.origin}/`)).status()).toBe(401);
  expect((await request.get(`${host.origin}/?token=not-the-token`, { maxRedirects: 0 })).status()).toBe(401);
  expect((await request.get(`${host.origin}/`, { headers: { Authorization: 'Bearer not-the-token' } })).status()).toBe(401);

  // The start URL trades the token for an HttpOnly, SameSite=Strict cookie and redirects to /.
  const start = await request.get(host.url, { maxRedirects: 0 });
  expect(start.status()).toBe(302);
  expect(start.headers()['location']).toBe('/');
  expect(start.headers()['set-cookie']).toMatch(/HttpOnly/i);
  expect(start.headers()['set-cookie']).toMatch(/SameSite=Strict/i);
});

test('the event stream refuses a socket without the token', async ({ host }) => {
  const status = await new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/events`);
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      ws.close();
      reject(new Error('The socket opened without a token.'));
    });
    ws.once('error', () => undefined);
  });
  expect(status).toBe(401);
});
