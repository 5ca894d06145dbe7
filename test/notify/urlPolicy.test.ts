import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../lib/notify/channels';
import { httpPost, pinnedLookup } from '../../lib/notify/deliver/httpPost';
import { postMessage } from '../../lib/notify/deliver/post';
import {
  isNonPublicHost,
  isPublicAddress,
  type Resolver,
  resolvePublic,
  webhookUrlProblem,
} from '../../lib/notify/deliver/urlPolicy';
import { createHarness, type Harness, whsec } from './harness';

/** A resolver standing in for DNS (CI has none): name -> addresses. */
const dns =
  (table: Record<string, readonly string[]>): Resolver =>
  async (name) => {
    const found = table[name];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return found;
  };

/**
 * Hosts (as written in a URL) that must never be connected to with the policy on: loopback in every
 * way the URL parser accepts it, each special-purpose range of IPv4 and IPv6, the IPv6 forms that
 * carry an IPv4 address, and local names.
 */
const HOSTILE_HOSTS = [
  // loopback, written every way the URL parser turns into 127.0.0.1
  '127.0.0.1',
  '127.1',
  '127.0.1',
  '2130706433',
  '0177.0.0.1',
  '0x7f.1',
  '0x7f000001',
  '017700000001',
  '0x7f.0x0.0x0.0x1',
  '127.000.000.001',
  '127.0.0.1.',
  '127.255.255.254',
  // IPv4 special-purpose ranges
  '0.0.0.0',
  '0',
  '10.0.0.1',
  '012.0.0.1',
  '167772161',
  '100.64.0.1',
  '100.127.255.254',
  '169.254.169.254',
  '0xa9fea9fe',
  '172.16.0.1',
  '172.31.255.255',
  '192.0.0.8',
  '192.0.2.1',
  '192.88.99.1',
  '192.168.0.1',
  '198.18.0.1',
  '198.19.255.255',
  '198.51.100.7',
  '203.0.113.9',
  '224.0.0.1',
  '239.255.255.250',
  '240.0.0.1',
  '255.255.255.255',
  // IPv6 loopback and unspecified
  '[::1]',
  '[0:0:0:0:0:0:0:1]',
  '[::]',
  // IPv4-mapped (the example, and how the parser rewrites it), -compatible, -translated
  '[::ffff:127.0.0.1]',
  '[::ffff:7f00:1]',
  '[0:0:0:0:0:ffff:7f00:1]',
  '[::ffff:10.0.0.1]',
  '[::ffff:169.254.169.254]',
  '[::ffff:192.168.1.1]',
  '[::ffff:100.64.0.1]',
  '[::ffff:0.0.0.0]',
  '[::127.0.0.1]',
  '[::8.8.8.8]',
  '[::ffff:0:127.0.0.1]',
  '[::ffff:0:a00:1]',
  // NAT64 (well-known and local-use prefixes)
  '[64:ff9b::127.0.0.1]',
  '[64:ff9b::7f00:1]',
  '[64:ff9b::10.0.0.1]',
  '[64:ff9b::a9fe:a9fe]',
  '[64:ff9b:1::1]',
  '[64:ff9b:1:ffff::8.8.8.8]',
  // 6to4 around a non-public IPv4, Teredo and the other IETF assignments
  '[2002:7f00:1::]',
  '[2002:a00:1::1]',
  '[2002:a9fe:a9fe::1]',
  '[2002:c0a8:101::1]',
  '[2001::1]',
  '[2001:0:4136:e378:8000:63bf:3fff:fdd2]',
  '[2001:2::1]',
  '[2001:10::1]',
  // documentation, discard, SRv6, unique local, link-local, site-local, multicast
  '[2001:db8::1]',
  '[3fff::1]',
  '[100::1]',
  '[5f00::1]',
  '[fc00::1]',
  '[fd12:3456:789a::1]',
  '[fe80::1]',
  '[febf:ffff::1]',
  '[fec0::1]',
  '[ff02::1]',
  '[ff05::1:3]',
  // local names
  'localhost',
  'localhost.',
  'LOCALHOST',
  'api.localhost',
  'printer.local',
  'metadata.internal',
  'router.home.arpa',
  'intranet',
] as const;

/** Public hosts, some in the same forms: the policy must not refuse them. */
const PUBLIC_HOSTS = [
  'hooks.slack.com',
  'events.pagerduty.com',
  '8.8.8.8',
  '134744072',
  '11.0.0.1',
  '100.63.255.255',
  '100.128.0.1',
  '172.32.0.1',
  '192.169.0.1',
  '198.20.0.1',
  '223.255.255.255',
  '[2606:4700:4700::1111]',
  '[::ffff:8.8.8.8]',
  '[64:ff9b::808:808]',
  '[2002:808:808::1]',
  '[2400:cb00::1]',
] as const;

describe('URL policy: the host as written (cold start)', () => {
  it(`refuses each of the ${HOSTILE_HOSTS.length} hostile hosts in an https URL, with a port or not`, () => {
    for (const host of HOSTILE_HOSTS) {
      for (const url of [`https://${host}/hook`, `https://${host}:8443/hook?x=1`]) {
        expect({ url, problem: webhookUrlProblem(url, false).problem }).toEqual({
          url,
          problem: 'URL host must be public (loopback/private only with allowInsecureWebhooks)',
        });
      }
      expect({ host, nonPublic: isNonPublicHost(new URL(`https://${host}/`).hostname) }).toEqual({
        host,
        nonPublic: true,
      });
    }
  });

  it(`passes each of the ${PUBLIC_HOSTS.length} public hosts`, () => {
    for (const host of PUBLIC_HOSTS) {
      const url = `https://${host}/hook`;
      expect({ url, problem: webhookUrlProblem(url, false).problem }).toEqual({ url, problem: undefined });
    }
  });

  it('lets allowInsecureWebhooks keep its meaning: http and loopback/private hosts pass (local development)', () => {
    for (const host of HOSTILE_HOSTS) expect(webhookUrlProblem(`http://${host}:9/x`, true).url).toBeDefined();
    expect(webhookUrlProblem('ftp://127.0.0.1/x', true).problem).toMatch(/scheme/);
  });
});

/** The same addresses as a resolver answers them (no brackets; mapped ones in dotted form, as getaddrinfo writes). */
const HOSTILE_ANSWERS = [
  '127.0.0.1',
  '127.53.53.53',
  '10.0.0.7',
  '172.20.1.1',
  '192.168.0.10',
  '100.100.100.200',
  '169.254.169.254',
  '0.0.0.0',
  '198.18.0.5',
  '224.0.0.251',
  '::1',
  '::',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::ffff:169.254.169.254',
  '::127.0.0.1',
  '64:ff9b::7f00:1',
  '64:ff9b::10.1.2.3',
  '2002:7f00:1::1',
  '2001:0:4136:e378:8000:63bf:3fff:fdd2',
  'fd00:ec2::254',
  'fe80::1',
  'fe80::1%eth0',
  'ff02::fb',
  '2001:db8::5',
] as const;

describe('URL policy: what a name resolves to (each send)', () => {
  it(`refuses a name with any non-public address (${HOSTILE_ANSWERS.length} answers, alone, with others)`, async () => {
    for (const address of HOSTILE_ANSWERS) {
      expect({ address, public: isPublicAddress(address) }).toEqual({ address, public: false });
      for (const answer of [[address], ['93.184.215.14', address], [address, '2606:4700::6810:84e5']]) {
        await expect(resolvePublic('hooks.example.com', dns({ 'hooks.example.com': answer }))).rejects.toThrow(
          'host resolves to a non-public address',
        );
      }
    }
  });

  it('returns every address of a name that resolves only to public ones, and IP literals as they are', async () => {
    const resolve = dns({ 'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'] });
    expect(await resolvePublic('hooks.example.com', resolve)).toEqual([
      '93.184.215.14',
      '2606:2800:21f:cb07:6820:80da:af6b:8b2c',
    ]);
    expect(await resolvePublic('[2606:4700:4700::1111]', dns({}))).toEqual(['2606:4700:4700::1111']);
    await expect(resolvePublic('[::ffff:7f00:1]', dns({}))).rejects.toThrow('host is a non-public address');
    await expect(resolvePublic('empty.example.com', dns({ 'empty.example.com': [] }))).rejects.toThrow(/no address/);
  });
});

/** A TCP listener on loopback that counts connections and answers nothing: it must stay at 0. */
async function listener(host: string): Promise<{ server: Server; port: number; connections: () => number }> {
  let count = 0;
  const server = createTcpServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, host, () => r()));
  return { server, port: (server.address() as AddressInfo).port, connections: () => count };
}

describe('postMessage with the policy on, beside a real loopback listener', () => {
  let v4: Awaited<ReturnType<typeof listener>>;
  let v6: Awaited<ReturnType<typeof listener>>;
  beforeAll(async () => {
    v4 = await listener('127.0.0.1');
    v6 = await listener('::1');
  });
  afterAll(async () => {
    await Promise.all([v4, v6].map((l) => new Promise<void>((r) => l.server.close(() => r()))));
  });

  const req = (host: string, port: number) => ({
    url: `https://${host}:${port}/hook`,
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });

  it('sends nothing to a loopback URL in any form, nor to a name resolving to one: permanent', async () => {
    const literals = HOSTILE_HOSTS.filter((h) => h.startsWith('[') || /^[\d.x]/i.test(h));
    const loopbackNames = ['127.0.0.1', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::7f00:1', '::127.0.0.1'];
    const tried: string[] = [];
    for (const port of [v4.port, v6.port]) {
      for (const host of literals) {
        const outcome = await postMessage(CHANNELS.webhook, req(host, port), { timeoutMs: 2000, publicOnly: true });
        expect({ host, outcome }).toEqual({ host, outcome: { kind: 'permanent', reason: expect.any(String) } });
        tried.push(host);
      }
      for (const address of loopbackNames) {
        const resolve = dns({ 'hooks.example.com': [address] });
        const outcome = await postMessage(CHANNELS.pagerduty, req('hooks.example.com', port), {
          timeoutMs: 2000,
          publicOnly: true,
          resolve,
        });
        expect(outcome).toEqual({ kind: 'permanent', reason: 'host resolves to a non-public address' });
        tried.push(address);
      }
    }
    expect(tried).toHaveLength(2 * (literals.length + loopbackNames.length));
    expect(v4.connections() + v6.connections()).toBe(0);
  });

  it('resolves once, connects to the checked address: a rebinding answer never reaches the listener', async () => {
    // The first answer is public (checked, allowed), every later one is loopback, where the listener
    // waits. A second lookup would connect there; the policy must connect to the first answer.
    let lookups = 0;
    const rebinding: Resolver = async () => (lookups++ === 0 ? ['93.184.215.14'] : ['127.0.0.1']);
    const outcome = await postMessage(CHANNELS.webhook, req('rebind.test', v4.port), {
      timeoutMs: 1500,
      publicOnly: true,
      resolve: rebinding,
    });
    // Whatever the public address answers (nothing, here), it is not the listener and not a DNS
    // failure of the system resolver (`.test` names never resolve): only the checked address was used.
    expect(outcome.kind).toBe('retry');
    expect(outcome).not.toMatchObject({ reason: expect.stringMatching(/ENOTFOUND|EAI_AGAIN/) });
    expect(lookups).toBe(1);
    expect(v4.connections()).toBe(0);
  });

  it('retries later when the name does not resolve, and never names the host', async () => {
    const outcome = await postMessage(CHANNELS.webhook, req('gone.example.com', v4.port), {
      timeoutMs: 2000,
      publicOnly: true,
      resolve: dns({}),
    });
    expect(outcome).toEqual({ kind: 'retry', reason: 'DNS lookup failed ENOTFOUND' });
  });
});

describe('httpPost connects to the given addresses, keeping the URL name for Host and SNI', () => {
  it('answers the socket with the checked addresses, by family, and never asks DNS', () => {
    const lookup = pinnedLookup(['93.184.215.14', '2606:4700::1']);
    const answers: unknown[] = [];
    lookup('anything.test', { all: true }, (_e, a) => answers.push(a));
    lookup('anything.test', { family: 6 }, (_e, a, f) => answers.push([a, f]));
    lookup('anything.test', { family: 'IPv4' }, (_e, a, f) => answers.push([a, f]));
    expect(answers).toEqual([
      [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:4700::1', family: 6 },
      ],
      ['2606:4700::1', 6],
      ['93.184.215.14', 4],
    ]);
  });

  it('reaches a loopback server by an unresolvable name with its address pinned; Host is the name', async () => {
    let seen: IncomingHttpHeaders | undefined;
    const server = createHttpServer((r, res) => {
      seen = r.headers;
      r.resume();
      res.writeHead(202, { 'retry-after': '7' }).end('{"status":"success"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as AddressInfo;
    try {
      const answer = await httpPost(new URL(`http://hooks.test:${port}/v2/enqueue?a=1`), { 'x-a': 'b' }, '{}', {
        signal: AbortSignal.timeout(2000),
        addresses: ['127.0.0.1'],
      });
      expect(answer).toEqual({ status: 202, retryAfter: '7', text: '{"status":"success"}', complete: true });
      expect(seen).toMatchObject({ host: `hooks.test:${port}`, 'x-a': 'b', 'content-length': '2' });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('sends the URL name as the TLS server name (SNI) while connecting to the pinned address', async () => {
    const names: string[] = [];
    const server = createTlsServer({
      SNICallback: (name, cb) => {
        names.push(name);
        cb(new Error('no certificate here'));
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as AddressInfo;
    try {
      await expect(
        httpPost(new URL(`https://hooks.test:${port}/x`), {}, '{}', {
          signal: AbortSignal.timeout(2000),
          addresses: ['127.0.0.1'],
        }),
      ).rejects.toThrow();
      expect(names).toEqual(['hooks.test']);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('the notifier with allowInsecureWebhooks off (the issue: signed webhooks, PagerDuty to loopback)', () => {
  let h: Harness | undefined;
  let l: Awaited<ReturnType<typeof listener>>;
  beforeAll(async () => {
    l = await listener('127.0.0.1');
  });
  afterAll(async () => {
    await h?.close();
    await new Promise<void>((r) => l.server.close(() => r()));
  });

  it('refuses webhook, PagerDuty and SMN hosts on loopback in mapped forms; nothing is sent', async () => {
    h = await createHarness({ destinations: [] });
    h.addInstance('a');
    h.fail(h.addInstance('b'));
    const topicUrn = h.emulator.addSmnTopic(h.projectId, 'ops');
    const secrets = { T_URL: '', T_S: whsec(), T_KEY: 'r'.repeat(32) };
    const hook = { type: 'webhook', url: { env: 'T_URL' }, secrets: [{ env: 'T_S' }] };
    const cases: [string, Record<string, unknown>, string][] = [
      ['hook', hook, `https://[::ffff:127.0.0.1]:${l.port}/hook`],
      ['hook', hook, `https://0x7f.1:${l.port}/hook`],
      ['pd', { type: 'pagerduty', endpoint: `https://[64:ff9b::7f00:1]:${l.port}`, routingKey: { env: 'T_KEY' } }, ''],
      ['pd', { type: 'pagerduty', endpoint: `https://[::ffff:a9fe:a9fe]:${l.port}`, routingKey: { env: 'T_KEY' } }, ''],
      ['topic', { type: 'smn', topicUrn, endpoint: `https://[::ffff:7f00:1]:${l.port}` }, ''],
    ];
    for (const [id, destination, url] of cases) {
      const env = { ...configEnv(h, { destinations: { [id]: destination }, allowInsecureWebhooks: false }) };
      await expect(h.run({ handler: { env: { ...env, ...secrets, T_URL: url } } })).rejects.toThrow(
        `destination ${id}: URL host must be public`,
      );
    }
    expect(l.connections()).toBe(0);
  });
});

/** The harness's environment with its configuration's `notify` replaced. */
function configEnv(h: Harness, notify: Record<string, unknown>): Record<string, string> {
  return { ...h.env, DMS_TASKS_CONFIG: JSON.stringify({ ...h.configDoc(), notify }) };
}
