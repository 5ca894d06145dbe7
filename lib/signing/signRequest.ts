import { encodeRfc3986 } from './encodeRfc3986';
import { canonicalHeaders } from './canonicalHeaders';
import { canonicalQuery, type QueryParams } from './canonicalQuery';
import { canonicalUri } from './canonicalUri';
import { SIGNING } from './constants';
import type { Credentials } from './credentials';
import { formatSdkDate } from './formatSdkDate';
import { hmacSha256Hex, sha256Hex } from './hashing';

/** What the signer needs to know of a request. Nothing here is sent; see `buildSignedUrl`. */
export interface RequestToSign {
  readonly method: string;
  /** `host` or `host:port`, exactly as it will be sent in the Host header. */
  readonly host: string;
  /** Raw (not encoded) path segments, e.g. `['v2', projectId, 'instances', instanceId, 'tasks']`. */
  readonly pathSegments: readonly string[];
  readonly query?: QueryParams;
  /** Headers to sign besides host, date and token (e.g. `X-Project-Id`, `Content-Type`). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}

export interface SignOptions {
  /** Signing time. @default new Date() */
  readonly date?: Date;
}

/** The pieces of a signature, exposed for the emulator and the tests. */
export interface SignatureParts {
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signedHeaders: string;
  readonly signature: string;
}

export function computeSignature(
  req: RequestToSign,
  headers: Readonly<Record<string, string>>,
  sdkDate: string,
  secretAccessKey: string,
): SignatureParts {
  const canon = canonicalHeaders(headers);
  const payload = req.body === undefined || req.body.length === 0 ? SIGNING.emptyBodySha256 : sha256Hex(req.body);
  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalUri(req.pathSegments),
    canonicalQuery(req.query ?? {}),
    canon.block,
    canon.signedHeaders,
    payload,
  ].join('\n');
  const stringToSign = `${SIGNING.algorithm}\n${sdkDate}\n${sha256Hex(canonicalRequest)}`;
  return {
    canonicalRequest,
    stringToSign,
    signedHeaders: canon.signedHeaders,
    signature: hmacSha256Hex(secretAccessKey, stringToSign),
  };
}

/**
 * Signs a request with SDK-HMAC-SHA256 and returns the headers to send (the caller's headers plus
 * `X-Sdk-Date`, `host`, `X-Security-Token` when the credentials are temporary, and `Authorization`;
 * a caller header with the name of one of these, in any case, is replaced rather than sent twice).
 * Pure: no I/O, no clock unless `options.date` is left out.
 */
export function signRequest(
  req: RequestToSign,
  credentials: Credentials,
  options: SignOptions = {},
): Record<string, string> {
  const sdkDate = formatSdkDate(options.date ?? new Date());
  const owned = new Set<string>(
    [SIGNING.dateHeader, 'host', SIGNING.authorizationHeader].map((name) => name.toLowerCase()),
  );
  if (credentials.securityToken) owned.add(SIGNING.securityTokenHeader.toLowerCase());
  const toSign: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers ?? {}))
    if (!owned.has(name.toLowerCase())) toSign[name] = value;
  toSign[SIGNING.dateHeader] = sdkDate;
  toSign.host = req.host;
  if (credentials.securityToken) toSign[SIGNING.securityTokenHeader] = credentials.securityToken;
  const { signedHeaders, signature } = computeSignature(req, toSign, sdkDate, credentials.secretAccessKey);
  return {
    ...toSign,
    [SIGNING.authorizationHeader]:
      `${SIGNING.algorithm} Access=${credentials.accessKeyId}, ` +
      `SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

/** The URL that is sent for a signed request: segments encoded once, no trailing slash. */
export function buildSignedUrl(origin: string, req: Pick<RequestToSign, 'pathSegments' | 'query'>): string {
  const path = req.pathSegments.map(encodeRfc3986).join('/');
  const query = canonicalQuery(req.query ?? {});
  return `${origin}/${path}${query ? `?${query}` : ''}`;
}
