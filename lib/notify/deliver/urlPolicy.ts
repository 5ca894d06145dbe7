import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

function ipv4Private(ip: string): boolean {
  const [a = 0, b = 0] = ip.split('.').map(Number);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224
  );
}

function ipv6Private(ip: string): boolean {
  const x = ip.toLowerCase();
  if (x === '::' || x === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(x);
  if (mapped?.[1]) return ipv4Private(mapped[1]);
  return /^(fc|fd|fe8|fe9|fea|feb|ff)/.test(x);
}

/** True for loopback, private, link-local, CGNAT, multicast and unspecified addresses, and for local host names. */
export function isNonPublicHost(hostname: string): boolean {
  const h = hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  const kind = isIP(h);
  if (kind === 4) return ipv4Private(h);
  if (kind === 6) return ipv6Private(h);
  return (
    h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.local') || h.endsWith('.internal') || !h.includes('.')
  );
}

/**
 * Checks a webhook URL: `https:` to a public host, no credentials in it. With `allowInsecure`
 * (local development) `http:` and loopback/private hosts pass too. Returns a problem, or undefined.
 * Host names are checked as written here, at cold start; `nonPublicAddress` checks what they resolve
 * to before each POST.
 */
export function webhookUrlProblem(raw: string, allowInsecure: boolean): { url?: URL; problem?: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'URL is not an absolute URL' };
  }
  if (url.protocol !== 'https:' && !(allowInsecure && url.protocol === 'http:'))
    return {
      problem: `URL scheme must be https${allowInsecure ? ' or http' : ' (http only with allowInsecureWebhooks)'}`,
    };
  if (url.username || url.password) return { problem: 'URL must not hold user info' };
  if (!allowInsecure && isNonPublicHost(url.hostname))
    return { problem: 'URL host must be public (loopback/private only with allowInsecureWebhooks)' };
  return { url };
}

/** Resolves a host name to all its addresses (injected in tests: there is no DNS in CI). */
export type Resolver = (hostname: string) => Promise<readonly string[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/**
 * The first loopback/private/link-local address a public-looking host name resolves to, if any: a
 * name pointing inside the network (a mistake, or a DNS record made to reach internal services) is
 * refused before anything is sent. Names that are IP literals were already checked by `webhookUrlProblem`.
 */
export async function nonPublicAddress(
  hostname: string,
  resolve: Resolver = systemResolver,
): Promise<string | undefined> {
  const h = hostname.replace(/^\[|\]$/g, '');
  if (isIP(h)) return undefined;
  return (await resolve(h)).find((address) => isNonPublicHost(address));
}
