import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** One GET as it goes on the wire. */
export interface TransportRequest {
  /** Absolute `https://` (or `http://`, the emulator) URL, query already encoded as signed. */
  readonly url: string;
  /**
   * The headers exactly as they were signed (`host` included). A function, called once the
   * connection is on its way (at once on a reused one): on a cold call the signature is computed
   * while DNS, TCP and TLS take their round trips, and its date is the one of the send.
   */
  readonly headers: () => Readonly<Record<string, string>>;
}

export interface SendOptions {
  /** Ends the request (connecting, waiting or reading the body): the promise rejects with its reason. */
  readonly signal: AbortSignal;
  /** Largest body accepted, checked on `Content-Length` and while streaming (chunked bodies). */
  readonly maxBytes: number;
}

/** A response read to its end, or refused at the size cap (the connection is then closed). */
export type TransportResponse =
  | {
      readonly status: number;
      readonly headers: IncomingHttpHeaders;
      readonly body: Buffer;
      readonly tooLarge?: undefined;
    }
  | {
      readonly status: number;
      readonly headers: IncomingHttpHeaders;
      readonly body?: undefined;
      /** `declaredBytes`: the `Content-Length` that was over the cap; absent when the stream went over it. */
      readonly tooLarge: { readonly declaredBytes?: number };
    };

/** What the DMS client sends with; tests may inject one. */
export type Send = (request: TransportRequest, options: SendOptions) => Promise<TransportResponse>;

/**
 * Free connections are closed after this long idle, before a server is likely to close them (the
 * same default as undici, the built-in `fetch`); a shorter `Keep-Alive: timeout=` hint from the
 * server wins (Node's agent reads it).
 */
const IDLE_SOCKET_MS = 4_000;

/**
 * One keep-alive agent per protocol for the whole process: back-to-back calls to an origin reuse one
 * connection (one TLS handshake per process while warm), and concurrent calls open one each.
 */
const AGENTS = {
  https: new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' }),
  http: new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' }),
} as const;

/**
 * Sends one GET with `node:https` (or `node:http`) over a process-wide keep-alive agent and reads
 * the body, up to `maxBytes`. Chosen over the built-in `fetch` by measurement over TLS at a 20 ms
 * round trip (`bench/README.md`): `fetch` costs about 26-29 ms to initialise in a fresh process and
 * opens a second TLS connection when a call starts right after the previous body was read; this
 * opens one and reuses it, and costs what a bare `https.get` costs. Redirects are not followed
 * (the caller sees the 3xx); no `Accept-Encoding` is sent, so bodies come uncompressed.
 *
 * @example
 * const res = await send({ url, headers: signedHeaders }, { signal, maxBytes: 4 * 1024 * 1024 });
 */
export function send(request: TransportRequest, options: SendOptions): Promise<TransportResponse> {
  const { signal, maxBytes } = options;
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const secure = request.url.startsWith('https:');
    // Created without headers: the agent hands over a free connection or starts a new one now.
    const req = (secure ? httpsRequest : httpRequest)(request.url, {
      method: 'GET',
      agent: secure ? AGENTS.https : AGENTS.http,
    });
    const onAbort = (): void => {
      req.destroy();
      reject(signal.reason);
    };
    const finish = (): void => {
      if (signal.aborted) return;
      let headers: Readonly<Record<string, string>>;
      try {
        headers = request.headers();
      } catch (e) {
        settle();
        req.destroy();
        reject(e);
        return;
      }
      for (const [name, value] of Object.entries(headers)) req.setHeader(name, value);
      req.end();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const settle = (): void => signal.removeEventListener('abort', onAbort);
    req.on('error', (e) => {
      settle();
      reject(e);
    });
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const { headers } = res;
      const refuse = (declaredBytes?: number): void => {
        settle();
        req.destroy();
        resolve({ status, headers, tooLarge: declaredBytes === undefined ? {} : { declaredBytes } });
      };
      const declared = Number(headers['content-length'] ?? Number.NaN);
      if (declared > maxBytes) return refuse(declared);
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > maxBytes) refuse();
        else chunks.push(chunk);
      });
      res.on('end', () => {
        settle();
        resolve({ status, headers, body: Buffer.concat(chunks, total) });
      });
      // A body cut short (the connection closed before its end): an error, never a partial body.
      res.on('error', (e) => {
        settle();
        reject(e);
      });
      res.on('close', () => {
        if (res.complete) return;
        settle();
        reject(Object.assign(new Error('response body cut short'), { code: 'ECONNRESET' }));
      });
    });
    // A new connection to an IP address starts on the next tick: let it go before signing.
    if (req.reusedSocket) finish();
    else setImmediate(finish);
  });
}
