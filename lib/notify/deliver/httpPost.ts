import type { LookupAddress, LookupOptions } from 'node:dns';
import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

/** Bytes of an answer's body that are read; the rest is not needed to classify it. */
export const ANSWER_BODY_LIMIT = 64 * 1024;

/** What a destination answered. */
export interface HttpAnswer {
  readonly status: number;
  readonly retryAfter: string | null;
  /** The body as text, at most {@link ANSWER_BODY_LIMIT} bytes of it. */
  readonly text: string;
  /** False when the connection broke while the body was being read. */
  readonly complete: boolean;
}

export interface HttpPostOptions {
  /** Ends the request (timeout, the run's own signal). */
  readonly signal: AbortSignal;
  /**
   * The only addresses the connection may go to: those the URL policy checked ({@link resolvePublic}).
   * The URL's name still goes out as the Host header and the TLS server name (SNI, certificate check).
   * @default the system's lookup (only with `allowInsecureWebhooks`: nothing was checked)
   */
  readonly addresses?: readonly string[];
}

/** Keep-alive pools, as `fetch` keeps them; a pooled socket was connected to an address checked then. */
const AGENTS = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) } as const;

/**
 * A `lookup` for the socket that answers with the checked addresses and asks no resolver: the
 * connection goes where the policy looked, whatever the name resolves to by now (DNS rebinding).
 */
export function pinnedLookup(addresses: readonly string[]): LookupFunction {
  const all: LookupAddress[] = addresses.map((address) => ({ address, family: isIP(address) }));
  return (_hostname: string, options: LookupOptions, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
    const fit = all.filter((a) => family === 0 || a.family === family);
    const first = fit[0];
    if (!first) {
      callback(Object.assign(new Error('no checked address of that family'), { code: 'ENOTFOUND' }), '');
      return;
    }
    if (options.all) callback(null, fit);
    else callback(null, first.address, first.family);
  };
}

/**
 * POSTs `body` to `url` with node:http(s) and reads the answer: no redirect followed, the body read
 * up to {@link ANSWER_BODY_LIMIT}. With `options.addresses`, the socket connects to those only.
 * Rejects on a network error or abort (the caller classifies it).
 */
export function httpPost(
  url: URL,
  headers: Readonly<Record<string, string>>,
  body: string,
  options: HttpPostOptions,
): Promise<HttpAnswer> {
  const tls = url.protocol === 'https:';
  const send = tls ? httpsRequest : httpRequest;
  const pinned = options.addresses ? { lookup: pinnedLookup(options.addresses) } : {};
  const payload = Buffer.from(body);
  return new Promise<HttpAnswer>((resolve, reject) => {
    const req = send(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || (tls ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { ...headers, host: url.host, 'content-length': String(payload.length) },
        agent: tls ? AGENTS.https : AGENTS.http,
        signal: options.signal,
        ...pinned,
      },
      (res) => readAnswer(res, resolve),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Reads up to the limit, then stops; a body broken midway still gives its status (`complete: false`). */
function readAnswer(res: IncomingMessage, resolve: (a: HttpAnswer) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const header = res.headers['retry-after'];
  const done = (complete: boolean): void => {
    const text = Buffer.concat(chunks).subarray(0, ANSWER_BODY_LIMIT).toString('utf8');
    resolve({ status: res.statusCode ?? 0, retryAfter: header ?? null, text, complete });
  };
  res.on('data', (chunk: Buffer) => {
    if (size >= ANSWER_BODY_LIMIT) return;
    chunks.push(chunk);
    size += chunk.length;
    if (size >= ANSWER_BODY_LIMIT) {
      done(true);
      res.destroy();
    }
  });
  res.on('end', () => done(true));
  res.on('error', () => done(false));
  res.on('close', () => done(res.complete));
}
