import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What an HTTP handler of this project returns (API Gateway and FunctionGraph shape). */
export interface HandlerResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The part of a Lambda context the adapter gives: the request id and the time left. */
export interface AdapterContext {
  readonly awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

export type EventHandler = (event: unknown, context: AdapterContext) => Promise<HandlerResponse>;

export interface ServedHandler {
  /** `http://127.0.0.1:{port}`. */
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** An API Gateway HTTP API (payload 2.0) event for a node request, cookies in `cookies` as the gateway sends them. */
export function toHttpApiEvent(req: IncomingMessage, body: string, requestId: string): Record<string, unknown> {
  const url = new URL(req.url ?? '/', 'http://local');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (k === 'cookie' || v === undefined) continue;
    headers[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  const cookies = (req.headers.cookie ?? '').split(/; */).filter((c) => c !== '');
  const method = req.method ?? 'GET';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(cookies.length > 0 ? { cookies } : {}),
    requestContext: {
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: '$default',
      stage: '$default',
    },
    isBase64Encoded: false,
    ...(body !== '' ? { body } : {}),
  };
}

/**
 * Serves one handler on a free loopback port through a small node:http adapter (payload 2.0 events),
 * for the browser test and `npm start`: what API Gateway would do, without the Serverless CLI.
 */
export async function serveHandler(handler: EventHandler, port = 0): Promise<ServedHandler> {
  let n = 0;
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const body = await readBody(req);
        const requestId = `local-${Date.now().toString(36)}-${++n}`;
        const out = await handler(toHttpApiEvent(req, body, requestId), {
          awsRequestId: requestId,
          getRemainingTimeInMillis: () => 29_000,
        });
        res.writeHead(out.statusCode, out.headers);
        res.end(out.body);
      } catch {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('adapter error');
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
