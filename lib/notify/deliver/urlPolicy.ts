import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { NonPublicAddressError } from '../errors';

/**
 * IPv4 ranges that are not public (IANA IPv4 Special-Purpose Address Registry, RFC 6890 and later):
 * "this network", private, CGNAT, loopback, link-local, IETF protocol assignments, documentation,
 * the deprecated 6to4 relay anycast, benchmarking, multicast, reserved and broadcast.
 */
const IPV4_NON_PUBLIC: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

/**
 * IPv6 ranges that are not public whatever follows (IANA IPv6 Special-Purpose Address Registry):
 * unspecified and loopback, IPv4-compatible (`::a.b.c.d`, deprecated: nothing routes it), local-use
 * NAT64, discard, IETF protocol assignments (Teredo `2001::/32`, benchmarking `2001:2::/48`, ORCHID),
 * documentation (`2001:db8::/32`, `3fff::/20`), SRv6 SIDs, unique local, link-local, the deprecated
 * site-local, multicast. The forms that carry an IPv4 address (mapped, translated, NAT64, 6to4) are
 * judged by that address instead ({@link embeddedIpv4}).
 */
const IPV6_NON_PUBLIC: readonly (readonly [string, number])[] = [
  ['::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['3fff::', 20],
  ['5f00::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];

/** The two tables as one `BlockList` (node:net), which compares addresses, not strings. */
const NON_PUBLIC = new BlockList();
for (const [net, prefix] of IPV4_NON_PUBLIC) NON_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of IPV6_NON_PUBLIC) NON_PUBLIC.addSubnet(net, prefix, 'ipv6');

/** An IPv6 address as its eight 16-bit groups; `undefined` when it is not one. */
function ipv6Groups(ip: string): number[] | undefined {
  if (isIP(ip) !== 6) return undefined;
  // The WHATWG URL serializer writes any IPv6 form (embedded dotted quad included) as plain hex groups.
  const hex = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  const [head = '', tail] = hex.split('::');
  const part = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

const dotted = (hi: number, lo: number): string => [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');

/**
 * The IPv4 address an IPv6 address carries, when it is a form a packet to it reaches that IPv4 host
 * by: IPv4-mapped `::ffff:0:0/96`, IPv4-translated `::ffff:0:0:0/96`, NAT64 `64:ff9b::/96` (RFC 6052),
 * 6to4 `2002::/16` (RFC 3056, the address in bits 16-47).
 */
export function embeddedIpv4(ip: string): string | undefined {
  const g = ipv6Groups(ip);
  if (!g) return undefined;
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = g;
  const zero = (...xs: (number | undefined)[]): boolean => xs.every((x) => x === 0);
  if (zero(g0, g1, g2, g3, g4) && g5 === 0xffff) return dotted(g6, g7);
  if (zero(g0, g1, g2, g3) && g4 === 0xffff && g5 === 0) return dotted(g6, g7);
  if (g0 === 0x64 && g1 === 0xff9b && zero(g2, g3, g4, g5)) return dotted(g6, g7);
  if (g0 === 0x2002) return dotted(g1 ?? 0, g2 ?? 0);
  return undefined;
}

/**
 * Whether an IP address (v4 or v6, as a resolver or the URL parser writes it; a `%zone` is ignored) is
 * public: outside every special-purpose range, judged by the IPv4 address it carries where it carries
 * one. Anything that is not an IP address is not public.
 */
export function isPublicAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const kind = isIP(ip);
  if (kind === 4) return !NON_PUBLIC.check(ip, 'ipv4');
  if (kind !== 6) return false;
  const v4 = embeddedIpv4(ip);
  if (v4 !== undefined) return isPublicAddress(v4);
  return !NON_PUBLIC.check(ip, 'ipv6');
}

/** Names that only mean something inside a network: single labels, `localhost`, `.local`, `.internal`, `.home.arpa`. */
function isLocalName(name: string): boolean {
  const h = name.toLowerCase().replace(/\.$/, '');
  return (
    !h.includes('.') ||
    h === 'localhost' ||
    ['.localhost', '.local', '.internal', '.home.arpa', '.localdomain'].some((suffix) => h.endsWith(suffix))
  );
}

/**
 * True for a host (a URL's `hostname`: a name, an IPv4 address, or a bracketed IPv6 address) that is
 * not public: an address in a special-purpose range, in any of its forms, or a local name. A public
 * name can still resolve to a private address: {@link resolvePublic} checks what it resolves to.
 */
export function isNonPublicHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  if (isIP(h.replace(/%.*$/, ''))) return !isPublicAddress(h);
  return isLocalName(h);
}

/**
 * Checks a destination URL: `https:` to a public host, no credentials in it. With `allowInsecure`
 * (local development) `http:` and loopback/private hosts pass too. Returns a problem, or undefined.
 * The URL parser has already rewritten decimal, octal and hex IPv4 (`2130706433`, `0177.0.0.1`,
 * `0x7f.1`), a trailing dot and IPv6 with a dotted quad (`[::ffff:127.0.0.1]` → `[::ffff:7f00:1]`)
 * to one form, which is what is judged here, at cold start; {@link resolvePublic} judges what a name
 * resolves to before each POST, and that is the address the POST connects to.
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
 * The addresses a POST to `hostname` may connect to: resolved once, every one public, else a
 * {@link NonPublicAddressError} (one private answer among public ones is enough to refuse: which one
 * a client picks is not ours to choose). An IP literal is judged as it is, without DNS. The caller
 * connects to these addresses only, so a second lookup (DNS rebinding) has nothing to change.
 * A resolver error (`ENOTFOUND`, ...) is passed on.
 */
export async function resolvePublic(hostname: string, resolve: Resolver = systemResolver): Promise<string[]> {
  const h = hostname.replace(/^\[|\]$/g, '');
  if (isIP(h)) {
    if (!isPublicAddress(h)) throw new NonPublicAddressError('host is a non-public address');
    return [h];
  }
  if (isLocalName(h)) throw new NonPublicAddressError('host is a local name');
  const addresses = [...(await resolve(h))];
  if (addresses.length === 0) throw new NonPublicAddressError('host resolves to no address');
  if (!addresses.every(isPublicAddress)) throw new NonPublicAddressError('host resolves to a non-public address');
  return addresses;
}
