import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { EventShapeError } from './errors';

/**
 * Huawei FunctionGraph's APIG trigger event. Like API Gateway REST (1.0) but with a smaller
 * `requestContext`; the body is base64 when `isBase64Encoded` is true.
 */
export interface FunctionGraphApigEvent {
  readonly httpMethod: string;
  readonly path: string;
  readonly pathParameters?: Record<string, string> | null;
  readonly queryStringParameters?: Record<string, string | string[]> | null;
  readonly headers?: Record<string, string | string[]> | null;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: { readonly apiId?: string; readonly requestId?: string; readonly stage?: string };
}

export type EventKind = 'apigw-http-v2' | 'apigw-rest-v1' | 'functiongraph-apig';

/** One HTTP request, whatever event carried it. Maps are never null; header names are lower-case. */
export interface NormalizedRequest {
  readonly kind: EventKind;
  /** Upper-case. */
  readonly method: string;
  /** The path as the gateway received it (may include a stage prefix). */
  readonly path: string;
  readonly pathParameters: ReadonlyMap<string, string>;
  /** Every value of every query parameter, in order (a repeated parameter has several). */
  readonly query: ReadonlyMap<string, readonly string[]>;
  readonly headers: ReadonlyMap<string, string>;
  /** Decoded body ('' when none). */
  readonly body: string;
  /** The gateway's request id, when it sent one. */
  readonly gatewayRequestId: string | undefined;
}

type Raw = Record<string, unknown>;

function isRaw(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Strings as they are, numbers and booleans as text, arrays flattened; anything else dropped. */
function values(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (typeof v === 'number' || typeof v === 'boolean') return [String(v)];
  if (Array.isArray(v)) return v.flatMap((x) => (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' ? [String(x)] : []));
  return [];
}

function multiMap(...sources: unknown[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const source of sources) {
    if (!isRaw(source)) continue;
    for (const [k, v] of Object.entries(source)) {
      const vs = values(v);
      if (vs.length > 0 && !out.has(k)) out.set(k, vs);
    }
  }
  return out;
}

function headerMap(...sources: unknown[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const source of sources) {
    if (!isRaw(source)) continue;
    for (const [k, v] of Object.entries(source)) {
      const name = k.toLowerCase();
      const vs = values(v);
      if (vs.length > 0 && !out.has(name)) out.set(name, vs.join(', '));
    }
  }
  return out;
}

function stringMap(v: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!isRaw(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out.set(k, x);
  return out;
}

function queryFromRaw(raw: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of new URLSearchParams(raw)) {
    const list = out.get(k);
    if (list) list.push(v);
    else out.set(k, [v]);
  }
  return out;
}

function decodeBody(body: unknown, base64: unknown): string {
  if (typeof body !== 'string') return '';
  return base64 === true ? Buffer.from(body, 'base64').toString('utf8') : body;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Which event this is: HTTP API (payload 2.0), REST API (1.0) or FunctionGraph APIG. */
export function detectEventKind(event: unknown): EventKind {
  if (!isRaw(event)) throw new EventShapeError('not an object');
  const rc = isRaw(event.requestContext) ? event.requestContext : {};
  if (event.version === '2.0' || (isRaw(rc.http) && typeof event.rawPath === 'string')) return 'apigw-http-v2';
  if (typeof event.httpMethod === 'string') {
    const restMarkers = 'multiValueHeaders' in event || 'multiValueQueryStringParameters' in event || 'resource' in event;
    const restContext = 'resourcePath' in rc || 'identity' in rc || 'httpMethod' in rc || 'resourceId' in rc;
    return event.version === '1.0' || restMarkers || restContext ? 'apigw-rest-v1' : 'functiongraph-apig';
  }
  throw new EventShapeError('neither an API Gateway (1.0 or 2.0) nor a FunctionGraph APIG event');
}

/**
 * Normalises the three event shapes into one `NormalizedRequest`: detects the version, decodes a
 * base64 body, lower-cases header names, and gives empty maps instead of nulls. Does nothing else.
 */
export function normalizeEvent(event: APIGatewayProxyEventV2 | APIGatewayProxyEvent | FunctionGraphApigEvent | unknown): NormalizedRequest {
  const kind = detectEventKind(event);
  const e = event as Raw;
  const rc = isRaw(e.requestContext) ? e.requestContext : {};
  if (kind === 'apigw-http-v2') {
    const http = isRaw(rc.http) ? rc.http : {};
    const method = str(http.method);
    if (!method) throw new EventShapeError('payload 2.0 event without requestContext.http.method');
    return {
      kind,
      method: method.toUpperCase(),
      path: str(e.rawPath) ?? str(http.path) ?? '',
      pathParameters: stringMap(e.pathParameters),
      query: typeof e.rawQueryString === 'string' ? queryFromRaw(e.rawQueryString) : multiMap(e.queryStringParameters),
      headers: headerMap(e.headers),
      body: decodeBody(e.body, e.isBase64Encoded),
      gatewayRequestId: str(rc.requestId),
    };
  }
  return {
    kind,
    method: String(e.httpMethod).toUpperCase(),
    path: str(e.path) ?? '',
    pathParameters: stringMap(e.pathParameters),
    // REST sends every value in multiValue*; the single-value maps hold the last one only.
    query: multiMap(e.multiValueQueryStringParameters, e.queryStringParameters),
    headers: headerMap(e.multiValueHeaders, e.headers),
    body: decodeBody(e.body, e.isBase64Encoded),
    gatewayRequestId: str(rc.requestId),
  };
}
