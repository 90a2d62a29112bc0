import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpTransport, UNREACHABLE_MESSAGE } from './http-transport.js';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Enough of a browser WebSocket for the transport: tests drive open/message/close by hand. */
class FakeSocket {
  static instances: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.onopen?.();
  }
  receive(data: unknown) {
    this.onmessage?.({ data: typeof data === 'string' ? data : JSON.stringify(data) });
  }
  drop() {
    this.onclose?.();
  }
}

const transport = (fetchImpl: typeof fetch) =>
  new HttpTransport({
    origin: 'http://127.0.0.1:4321',
    fetch: fetchImpl,
    WebSocket: FakeSocket as unknown as typeof WebSocket,
    reconnectMs: 100,
    maxReconnectMs: 400,
  });

describe('HttpTransport.invoke', () => {
  it('posts the input as JSON to /api/rpc/<method> and returns the envelope', async () => {
    const fetchImpl = vi.fn(async () => json(200, { ok: true, value: { path: '/w' } }));
    const t = transport(fetchImpl as unknown as typeof fetch);
    const r = await t.invoke('workspace.open', { path: '/w' });
    expect(r).toEqual({ ok: true, value: { path: '/w' } });
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://127.0.0.1:4321/api/rpc/workspace.open');
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"path":"/w"}');
    expect(init.credentials).toBe('same-origin');
    expect(new Headers(init.headers).get('content-type')).toBe('application/json');
  });

  it('passes error envelopes through as data', async () => {
    const error = { code: 'NOT_FOUND', message: 'The folder /w does not exist.', remedy: 'Pick another.' };
    const t = transport((async () => json(200, { ok: false, error })) as unknown as typeof fetch);
    expect(await t.invoke('workspace.open', { path: '/w' })).toEqual({ ok: false, error });
  });

  it('turns a network failure into an envelope that says the backend is not reachable', async () => {
    const t = transport((async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch);
    const r = await t.invoke('app.info', {});
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INTERNAL');
      expect(r.error.message).toBe(UNREACHABLE_MESSAGE);
      expect(r.error.remedy).toMatch(/greenhouse serve/);
    }
  });

  it('explains a 401 as a missing token', async () => {
    const t = transport((async () => new Response('no', { status: 401 })) as unknown as typeof fetch);
    const r = await t.invoke('app.info', {});
    expect(!r.ok && r.error.code).toBe('UNAUTHORIZED');
    expect(!r.ok && r.error.remedy).toMatch(/URL printed by "greenhouse serve"/);
  });

  it('rejects an answer that is not JSON, or not an envelope', async () => {
    const notJson = transport((async () => new Response('<html>', { status: 502 })) as unknown as typeof fetch);
    const r1 = await notJson.invoke('app.info', {});
    expect(!r1.ok && r1.error.message).toMatch(/HTTP 502/);
    const notEnvelope = transport((async () => json(200, { hello: 1 })) as unknown as typeof fetch);
    const r2 = await notEnvelope.invoke('app.info', {});
    expect(!r2.ok && r2.error.code).toBe('INTERNAL');
  });
});

describe('HttpTransport events', () => {
  beforeEach(() => {
    FakeSocket.instances = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('opens one socket on the first subscribe and routes messages by event name', () => {
    const t = transport(vi.fn() as unknown as typeof fetch);
    const jobs: unknown[] = [];
    const audit: unknown[] = [];
    t.subscribe('jobs.onUpdate', (p) => jobs.push(p));
    t.subscribe('audit.onAppended', (p) => audit.push(p));
    expect(FakeSocket.instances).toHaveLength(1);
    const socket = FakeSocket.instances[0]!;
    expect(socket.url).toBe('ws://127.0.0.1:4321/api/events');
    socket.open();
    socket.receive({ event: 'jobs.onUpdate', payload: { id: 'j' } });
    socket.receive('not json');
    socket.receive({ nothing: true });
    expect(jobs).toEqual([{ id: 'j' }]);
    expect(audit).toEqual([]);
  });

  it('stops delivering to a listener after unsubscribe', () => {
    const t = transport(vi.fn() as unknown as typeof fetch);
    const seen: unknown[] = [];
    const off = t.subscribe('jobs.onUpdate', (p) => seen.push(p));
    FakeSocket.instances[0]!.open();
    off();
    FakeSocket.instances[0]!.receive({ event: 'jobs.onUpdate', payload: 1 });
    expect(seen).toEqual([]);
  });

  it('reconnects with growing delays and says when it is back', () => {
    const t = transport(vi.fn() as unknown as typeof fetch);
    const states: string[] = [];
    t.onConnectionChange((state, reconnected) => states.push(reconnected ? `${state}(again)` : state));
    t.subscribe('jobs.onUpdate', () => undefined);
    FakeSocket.instances[0]!.open();
    FakeSocket.instances[0]!.drop();
    expect(FakeSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(130); // first delay 100 ms + up to 25% jitter
    expect(FakeSocket.instances).toHaveLength(2);
    FakeSocket.instances[1]!.drop(); // fails again before opening
    vi.advanceTimersByTime(130);
    expect(FakeSocket.instances).toHaveLength(2); // second delay is 200 ms
    vi.advanceTimersByTime(150);
    expect(FakeSocket.instances).toHaveLength(3);
    FakeSocket.instances[2]!.open();
    expect(states).toEqual(['connecting', 'open', 'closed', 'connecting', 'closed', 'connecting', 'open(again)']);
  });

  it('stops reconnecting once disposed', () => {
    const t = transport(vi.fn() as unknown as typeof fetch);
    t.subscribe('jobs.onUpdate', () => undefined);
    FakeSocket.instances[0]!.drop();
    t.dispose();
    vi.advanceTimersByTime(10_000);
    expect(FakeSocket.instances).toHaveLength(1);
  });
});

/** Enough of XMLHttpRequest for uploads: tests drive progress and the answer by hand. */
class FakeXhr {
  static instances: FakeXhr[] = [];
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown = undefined;
  withCredentials = true;
  status = 0;
  responseText = '';
  aborted = false;
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeXhr.instances.push(this);
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total });
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
    this.onload?.();
  }
}

describe('HttpTransport.fileToPath', () => {
  beforeEach(() => {
    FakeXhr.instances = [];
  });

  const uploader = () =>
    new HttpTransport({
      origin: 'http://127.0.0.1:4321',
      fetch: vi.fn() as unknown as typeof fetch,
      WebSocket: FakeSocket as unknown as typeof WebSocket,
      XMLHttpRequest: FakeXhr as unknown as typeof XMLHttpRequest,
    });
  const file = new File(['a,b\n1,2\n'], 'Q1 scores #2.csv');

  it('PUTs the bytes to /api/upload with the file name, reports progress and answers the stored path', async () => {
    const seen: number[] = [];
    const pending = uploader().fileToPath(file, { onProgress: (f) => seen.push(f) });
    const xhr = FakeXhr.instances[0]!;
    expect(xhr.method).toBe('PUT');
    expect(xhr.url).toBe('http://127.0.0.1:4321/api/upload?name=Q1%20scores%20%232.csv');
    expect(xhr.headers['content-type']).toBe('application/octet-stream');
    expect(xhr.withCredentials).toBe(false);
    expect(xhr.body).toBe(file);
    xhr.progress(4, 8);
    xhr.answer(200, { ok: true, value: { path: '/w/.greenhouse/uploads/x/Q1 scores #2.csv' } });
    expect(await pending).toEqual({ ok: true, value: '/w/.greenhouse/uploads/x/Q1 scores #2.csv' });
    expect(seen).toEqual([0.5, 1]);
  });

  it('passes the host’s error envelope through, and explains a 401 and a broken answer', async () => {
    const error = { code: 'NO_WORKSPACE', message: 'No workspace is open.', remedy: 'Open one.' };
    const t = uploader();
    const refused = t.fileToPath(file);
    FakeXhr.instances[0]!.answer(400, { ok: false, error });
    expect(await refused).toEqual({ ok: false, error });

    const unauthorized = t.fileToPath(file);
    FakeXhr.instances[1]!.answer(401, 'no');
    expect(await unauthorized).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });

    const garbled = t.fileToPath(file);
    FakeXhr.instances[2]!.answer(502, '<html>');
    expect(await garbled).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringMatching(/HTTP 502/) } });

    const wrongShape = t.fileToPath(file);
    FakeXhr.instances[3]!.answer(200, { ok: true, value: { nope: 1 } });
    expect(await wrongShape).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('says the backend is not reachable when the request fails', async () => {
    const pending = uploader().fileToPath(file);
    FakeXhr.instances[0]!.onerror?.();
    expect(await pending).toMatchObject({ ok: false, error: { message: UNREACHABLE_MESSAGE } });
  });

  it('aborts through the signal and answers CANCELLED', async () => {
    const controller = new AbortController();
    const pending = uploader().fileToPath(file, { signal: controller.signal });
    controller.abort();
    expect(FakeXhr.instances[0]!.aborted).toBe(true);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    // An already aborted signal sends nothing.
    expect(await uploader().fileToPath(file, { signal: controller.signal })).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(FakeXhr.instances).toHaveLength(1);
  });
});
