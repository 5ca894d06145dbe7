import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { isRecord } from '../core/isRecord';
import * as ERROR_CODES from './errorCodes';
import { EventShapeError, ValidationError } from './errors';

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

export type HttpEventShape = 'apigw-http-v2' | 'apigw-rest-v1' | 'functiongraph-apig';

/** One HTTP request, whatever event carried it. Maps are never null; header names are lower-case. */
export interface NormalizedRequest {
  readonly kind: HttpEventShape;
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
  /**
   * The caller's address as the gateway saw it (`requestContext.http.sourceIp`, `.identity.sourceIp`,
   * FunctionGraph's `.sourceIp`), never a header the caller can write (`X-Forwarded-For`). Absent
   * when the event has none.
   */
  readonly sourceIp: string | undefined;
}

/** What a well-formed percent-encoded path or query looks like, in the refusal's words. */
export const PERCENT_ENCODING_RULE =
  'bad percent-encoding: every "%" must start a "%XX" escape and the escapes must spell UTF-8';

/** A UTF-16 surrogate without its other half: text no UTF-8 encoder can write. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `String.prototype.isWellFormed` (ES2024, beyond this project's `lib` setting). */
function wellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/**
 * A path segment or query text decoded, or `undefined` when its percent-encoding is bad (a `%`
 * without two hex digits, bytes that are not UTF-8) or it decodes to text that is not well-formed
 * Unicode (a lone surrogate). The one percent-decoder of the HTTP edge.
 */
export function decodePercent(text: string): string | undefined {
  try {
    const decoded = decodeURIComponent(text);
    return wellFormed(decoded) ? decoded : undefined;
  } catch {
    return undefined;
  }
}

/** A caller-sent string the edge refuses before any other work: bad percent-encoding or ill-formed Unicode. */
function checkEncoded(text: string, field: string, percent: boolean): void {
  const ok = percent ? decodePercent(text) !== undefined : wellFormed(text);
  if (!ok) throw new ValidationError(field, ERROR_CODES.invalidEncoding, PERCENT_ENCODING_RULE);
}

/** The raw query of an HTTP API event, each `name=value` piece checked (`+` is a space there). */
function checkRawQuery(raw: string): void {
  for (const piece of raw.split('&')) checkEncoded(piece.replaceAll('+', ' '), 'query', true);
}

type Raw = Record<string, unknown>;

const record = (v: unknown): Raw => (isRecord(v) ? v : {});

const SCALARS = ['string', 'number', 'boolean'];
const scalar = (x: unknown): string[] => (SCALARS.includes(typeof x) ? [String(x)] : []);

/** Strings as they are, numbers and booleans as text, arrays flattened (one level); anything else dropped. */
const values = (v: unknown): string[] => (Array.isArray(v) ? v.flatMap(scalar) : scalar(v));

/** Every value of every key, the first source naming a key winning; `name` maps keys (header names: lower-case). */
function multiMap(sources: readonly unknown[], name: (key: string) => string = (k) => k): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const source of sources) {
    for (const [k, v] of Object.entries(record(source))) {
      const vs = values(v);
      if (vs.length > 0 && !out.has(name(k))) out.set(name(k), vs);
    }
  }
  return out;
}

/** Header names lower-cased, repeated values joined as one header line. */
function headerMap(sources: readonly unknown[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, vs] of multiMap(sources, (k) => k.toLowerCase())) out.set(k, vs.join(', '));
  return out;
}

function stringMap(v: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, x] of Object.entries(record(v))) if (typeof x === 'string') out.set(k, x);
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

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Which event this is: HTTP API (payload 2.0), REST API (1.0) or FunctionGraph APIG. */
export function detectEventShape(event: unknown): HttpEventShape {
  if (!isRecord(event)) throw new EventShapeError('not an object');
  const rc = record(event.requestContext);
  if (event.version === '2.0' || (isRecord(rc.http) && typeof event.rawPath === 'string')) return 'apigw-http-v2';
  if (typeof event.httpMethod === 'string') {
    const restMarkers = ['multiValueHeaders', 'multiValueQueryStringParameters', 'resource'].some((k) => k in event);
    const restContext = ['resourcePath', 'identity', 'httpMethod', 'resourceId'].some((k) => k in rc);
    return event.version === '1.0' || restMarkers || restContext ? 'apigw-rest-v1' : 'functiongraph-apig';
  }
  throw new EventShapeError('neither an API Gateway (1.0 or 2.0) nor a FunctionGraph APIG event');
}

/**
 * Normalises the three event shapes into one `NormalizedRequest`: detects the version, decodes a
 * base64 body, lower-cases header names, and gives empty maps instead of nulls. It also refuses, as
 * a 400 `invalidEncoding` naming `path` or `query`, a path or query whose percent-encoding is bad
 * (issue 20: `DELETE /ops/v1/silences/%E0%A4%A` was a 500 `URIError` deep in a route), so no
 * route, authentication or store read ever sees one. Does nothing else.
 */
export function normalizeEvent(
  event: APIGatewayProxyEventV2 | APIGatewayProxyEvent | FunctionGraphApigEvent | unknown,
): NormalizedRequest {
  const kind = detectEventShape(event);
  const e = event as Raw;
  const rc = record(e.requestContext);
  const http = record(rc.http);
  const v2 = kind === 'apigw-http-v2';
  // detectEventShape saw a string httpMethod in 1.0 and FunctionGraph events.
  const method = v2 ? str(http.method) : String(e.httpMethod);
  if (method === undefined) throw new EventShapeError('payload 2.0 event without requestContext.http.method');
  const path = (v2 ? (str(e.rawPath) ?? str(http.path)) : str(e.path)) ?? '';
  // Refused before anything else reads them: every later decode of a segment or value then succeeds.
  checkEncoded(path, 'path', true);
  const rawQuery = v2 && typeof e.rawQueryString === 'string' ? e.rawQueryString : undefined;
  if (rawQuery !== undefined) checkRawQuery(rawQuery);
  // REST sends every value in multiValue*; the single-value maps hold the last one only.
  const query =
    rawQuery !== undefined
      ? queryFromRaw(rawQuery)
      : multiMap(v2 ? [e.queryStringParameters] : [e.multiValueQueryStringParameters, e.queryStringParameters]);
  // Maps the gateway decoded already: what is left to refuse is text that is not well-formed Unicode.
  for (const [k, vs] of query) for (const x of [k, ...vs]) checkEncoded(x, 'query', false);
  const pathParameters = stringMap(e.pathParameters);
  for (const [k, x] of pathParameters) checkEncoded(x, k, false);
  const identity = record(rc.identity);
  return {
    kind,
    method: method.toUpperCase(),
    path,
    pathParameters,
    query,
    headers: headerMap(v2 ? [e.headers] : [e.multiValueHeaders, e.headers]),
    body:
      typeof e.body !== 'string'
        ? ''
        : e.isBase64Encoded === true
          ? Buffer.from(e.body, 'base64').toString('utf8')
          : e.body,
    gatewayRequestId: str(rc.requestId),
    sourceIp: str(v2 ? http.sourceIp : kind === 'apigw-rest-v1' ? identity.sourceIp : rc.sourceIp),
  };
}
