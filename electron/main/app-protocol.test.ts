import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../test-support/temp.js';
import { APP_CSP, APP_START_URL, appScheme, createAppProtocolHandler, isAppUrl, registerAppProtocol } from './app-protocol.js';

const SECRET = 'root:x:0:0:secret';
let handler: (request: Request) => Promise<Response>;

beforeEach(() => {
  // dist/renderer inside a parent that holds a file the protocol must never serve.
  const parent = tempDir();
  const rendererDir = join(parent, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Greenhouse</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(parent, 'secret.txt'), SECRET);
  mkdirSync(join(parent, 'etc'));
  writeFileSync(join(parent, 'etc', 'passwd'), SECRET);
  handler = createAppProtocolHandler(rendererDir);
});

const get = (url: string, init?: RequestInit) => handler(new Request(url, init));

describe('app:// protocol', () => {
  it('serves the renderer with its content type and a strict CSP', async () => {
    const page = await get(APP_START_URL);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>Greenhouse</title>');
    const root = await get('app://greenhouse/');
    expect(await root.text()).toContain('<title>Greenhouse</title>');
    const script = await get('app://greenhouse/assets/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');

    const csp = page.headers.get('content-security-policy');
    expect(csp).toBe(APP_CSP);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
  });

  it.each([
    'app://greenhouse/../../etc/passwd',
    'app://greenhouse/../secret.txt',
    'app://greenhouse/%2e%2e/%2e%2e/etc/passwd',
    'app://greenhouse/..%2f..%2fetc%2fpasswd',
    'app://greenhouse/%2e%2e%2fsecret.txt',
    'app://greenhouse/assets/..%2f..%2fsecret.txt',
    'app://greenhouse/..%5csecret.txt',
    'app://greenhouse/%252e%252e%252fsecret.txt',
    'app://greenhouse/..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    'app://greenhouse/index.html%00.js',
    'app://greenhouse/%E0%A4%A',
  ])('refuses %s', async (url) => {
    const res = await get(url);
    expect([400, 403, 404]).toContain(res.status);
    expect(await res.text()).not.toContain(SECRET);
    // Even refusals carry the CSP.
    expect(res.headers.get('content-security-policy')).toBe(APP_CSP);
  });

  it('answers only its own host and only reads', async () => {
    expect((await get('app://elsewhere/index.html')).status).toBe(404);
    expect((await get(APP_START_URL, { method: 'POST', body: 'x' })).status).toBe(405);
    const head = await get(APP_START_URL, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('says how to fix a missing renderer build', async () => {
    const res = await createAppProtocolHandler(tempDir())(new Request(APP_START_URL));
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/npm run build/);
  });

  it('registers the scheme as standard and secure, but not CORS-readable or CSP-exempt', () => {
    expect(appScheme).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true } });
    expect(appScheme.privileges).not.toHaveProperty('corsEnabled');
    expect(appScheme.privileges).not.toHaveProperty('bypassCSP');
    const protocol = { handle: vi.fn() };
    registerAppProtocol(protocol, '/nowhere');
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
  });
});

describe('isAppUrl', () => {
  it.each([
    ['app://greenhouse/index.html', true],
    ['app://greenhouse/index.html#/datasets', true],
    ['app://greenhouse', true],
    ['app://evil/index.html', false],
    ['app://greenhouse.evil.example/', false],
    ['app://user@greenhouse/', false],
    ['app://greenhouse:8080/', false],
    ['https://greenhouse/', false],
    ['file:///etc/passwd', false],
    ['about:blank', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
    ['', false],
  ])('%s → %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });
});
