import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDelayProxy, type DelayProxy } from '../../bench/delayProxy';
import { generateSelfSignedCert, startTlsFront } from '../../bench/tls';
import { send } from '../../lib/dms/transport';

/** A real local server whose answers each test picks by path. */
const routes: Record<string, (res: ServerResponse) => void> = {
  '/ok': (res) => res.end('{"ok":true}'),
  '/slow': (res) => setTimeout(() => res.end('late'), 300),
  '/redirect': (res) => res.writeHead(302, { Location: '/ok' }).end(),
  '/big-declared': (res) => res.writeHead(200, { 'Content-Length': 2000 }).end('x'.repeat(2000)),
  '/big-chunked': (res) => {
    res.writeHead(200);
    for (let i = 0; i < 20; i++) res.write('y'.repeat(100));
    res.end();
  },
  '/exact-chunked': (res) => {
    res.writeHead(200);
    res.write('z'.repeat(600));
    res.end('z'.repeat(400));
  },
  '/cut-short': (res) => {
    res.writeHead(200, { 'Content-Length': 100 });
    res.write('only part of it');
    setTimeout(() => res.socket?.destroy(), 10);
  },
};

let server: Server;
let proxy: DelayProxy;
let base = '';
const received: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(`${req.url} ${String(req.headers.host)}`);
    (routes[req.url ?? ''] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // The proxy (no added delay) counts the TCP connections the transport opens.
  proxy = await startDelayProxy((server.address() as AddressInfo).port, 0);
  base = `http://127.0.0.1:${proxy.port}`;
});
afterAll(async () => {
  await proxy.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const get = (path: string, maxBytes = 1000, signal = new AbortController().signal) =>
  send(
    { url: `${base}${path}`, headers: () => ({ host: `127.0.0.1:${proxy.port}`, 'x-test': '1' }) },
    { signal, maxBytes },
  );

describe('send (node:http(s) over a keep-alive agent)', () => {
  it('reads status, headers and body, with the headers as given', async () => {
    const res = await get('/ok');
    expect(res.status).toBe(200);
    expect(res.body?.toString()).toBe('{"ok":true}');
    expect(res.headers['content-length']).toBe('11');
    expect(received.at(-1)).toBe(`/ok 127.0.0.1:${proxy.port}`);
  });

  it('reuses one connection for back-to-back calls, and opens one per concurrent call', async () => {
    await get('/ok');
    const before = proxy.connections;
    for (let i = 0; i < 5; i++) await get('/ok');
    expect(proxy.connections - before).toBe(0);
    await Promise.all([get('/slow'), get('/slow'), get('/slow')]);
    expect(proxy.connections - before).toBe(2); // the free one, and two new ones
  });

  it('asks for the headers once per request (signed as it goes out); a throw there sends nothing', async () => {
    let asked = 0;
    const headers = (): Record<string, string> => {
      asked++;
      return { host: `127.0.0.1:${proxy.port}`, 'x-asked': String(asked) };
    };
    const signal = new AbortController().signal;
    const n = received.length;
    await Promise.all([0, 1, 2].map(() => send({ url: `${base}/slow`, headers }, { signal, maxBytes: 1000 })));
    expect(asked).toBe(3);
    expect(received.length - n).toBe(3);
    const failing = (): Record<string, string> => {
      throw new Error('no credentials');
    };
    await expect(send({ url: `${base}/ok`, headers: failing }, { signal, maxBytes: 1000 })).rejects.toThrow(
      'no credentials',
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received.length - n).toBe(3);
  });

  it('does not follow redirects', async () => {
    const res = await get('/redirect');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/ok');
  });

  it('refuses a body over the cap: on Content-Length, and while streaming a chunked one', async () => {
    expect(await get('/big-declared')).toMatchObject({ status: 200, tooLarge: { declaredBytes: 2000 } });
    const chunked = await get('/big-chunked');
    expect(chunked.tooLarge).toEqual({});
    expect(chunked.body).toBeUndefined();
    const exact = await get('/exact-chunked');
    expect(exact.body?.length).toBe(1000);
  });

  it('rejects a body cut short instead of returning part of it', async () => {
    await expect(get('/cut-short')).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('sends nothing when the signal is already aborted, and stops waiting when it aborts', async () => {
    const n = received.length;
    const aborted = AbortSignal.abort(new Error('stop'));
    await expect(get('/ok', 1000, aborted)).rejects.toThrow('stop');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received.length).toBe(n);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('timed out')), 50);
    await expect(get('/slow', 1000, controller.signal)).rejects.toThrow('timed out');
    expect(Date.now() - started).toBeLessThan(250);
  });
});

describe('send over TLS', () => {
  it('refuses a certificate the process does not trust (verification stays on)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dtf-transport-'));
    const front = await startTlsFront((server.address() as AddressInfo).port, generateSelfSignedCert(dir));
    try {
      const url = `https://127.0.0.1:${front.port}/ok`;
      const call = send({ url, headers: () => ({}) }, { signal: new AbortController().signal, maxBytes: 1000 });
      await expect(call).rejects.toMatchObject({ code: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY/) });
      expect(front.handshakes).toBe(0);
    } finally {
      await front.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
