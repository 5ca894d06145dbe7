import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../lib/notify/channels';
import { postMessage } from '../../lib/notify/deliver/post';
import { nonPublicAddress, type Resolver } from '../../lib/notify/deliver/urlPolicy';

/** A resolver standing in for DNS (CI has none): name -> addresses. */
const dns =
  (table: Record<string, readonly string[]>): Resolver =>
  async (name) => {
    const found = table[name];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return found;
  };

describe('nonPublicAddress (what a webhook host name resolves to)', () => {
  const resolve = dns({
    'hooks.example.com': ['93.184.215.14'],
    'sneaky.example.com': ['93.184.215.14', '10.0.0.7'],
    'meta.example.com': ['169.254.169.254'],
    'v6.example.com': ['::1'],
  });

  it('passes a name that resolves only to public addresses', async () => {
    expect(await nonPublicAddress('hooks.example.com', resolve)).toBeUndefined();
  });

  it.each([
    ['sneaky.example.com', '10.0.0.7'],
    ['meta.example.com', '169.254.169.254'],
    ['v6.example.com', '::1'],
  ])('refuses %s, which resolves to %s', async (name, address) => {
    expect(await nonPublicAddress(name, resolve)).toBe(address);
  });

  it('does not resolve IP literals (checked as written at cold start)', async () => {
    expect(await nonPublicAddress('[2001:db8::1]', dns({}))).toBeUndefined();
    expect(await nonPublicAddress('8.8.8.8', dns({}))).toBeUndefined();
  });
});

describe('postMessage with publicOnly', () => {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    req.resume();
    res.writeHead(204).end();
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const req = (host: string) => ({
    url: `http://${host}:${port}/hook`,
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });

  it('refuses, without sending, a host that resolves to a private address: permanent', async () => {
    hits = 0;
    // The name resolves to loopback, where a real server listens: the check must stop the POST before it.
    const outcome = await postMessage(CHANNELS.webhook, req('internal.example.com'), {
      timeoutMs: 2000,
      publicOnly: true,
      resolve: dns({ 'internal.example.com': ['127.0.0.1'] }),
    });
    expect(outcome).toEqual({ kind: 'permanent', reason: 'host resolves to a non-public address' });
    expect(hits).toBe(0);
  });

  it('retries later when the name does not resolve, and never names the host', async () => {
    const outcome = await postMessage(CHANNELS.webhook, req('gone.example.com'), {
      timeoutMs: 2000,
      publicOnly: true,
      resolve: dns({}),
    });
    expect(outcome).toEqual({ kind: 'retry', reason: 'DNS lookup failed ENOTFOUND' });
  });

  it('sends when publicOnly is off (allowInsecureWebhooks, local development)', async () => {
    hits = 0;
    const outcome = await postMessage(CHANNELS.webhook, req('127.0.0.1'), { timeoutMs: 2000, publicOnly: false });
    expect(outcome.kind).toBe('delivered');
    expect(hits).toBe(1);
  });
});
