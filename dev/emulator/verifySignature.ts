import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { computeSignature, parseAuthorization, parseSdkDate, SIGNING, type Credentials } from '../../lib/signing';
import { AUTH_FAILURES, type AuthFailure } from './errorCodes';

/** The parts of a received request that the signature covers. */
export interface ReceivedRequest {
  readonly method: string;
  /** The raw path as sent, without the query string (still percent-encoded). */
  readonly rawPath: string;
  /** The raw query string without `?` (may be empty). */
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
  /** The body bytes exactly as received. */
  readonly body: Uint8Array;
}

export type SignatureCheck =
  | { readonly ok: true; readonly accessKeyId: string }
  | { readonly ok: false; readonly failure: AuthFailure; readonly message: string };

export interface VerifyOptions {
  readonly credentials: readonly Credentials[];
  readonly now: Date;
  /** @default 900_000 (15 minutes) */
  readonly maxClockSkewMs?: number;
}

/**
 * Decodes a raw path into segments, the inverse of how a signer encodes them: split on `/`, then
 * `decodeURIComponent` each. The leading empty segment is dropped. `undefined` if a segment has a
 * broken escape.
 */
export function decodePathSegments(rawPath: string): string[] | undefined {
  try {
    return rawPath
      .split('/')
      .slice(1)
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

/**
 * Decodes a raw query string into pairs. `+` is kept as a plus sign (signers encode a space as
 * `%20`); a key without `=` has the empty value; a repeated key keeps its last value (so a request
 * that repeats a key and signed both values will not verify). `undefined` on a broken escape.
 */
export function decodeQuery(rawQuery: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  if (rawQuery === '') return out;
  try {
    for (const pair of rawQuery.split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const key = decodeURIComponent(eq === -1 ? pair : pair.slice(0, eq));
      out[key] = eq === -1 ? '' : decodeURIComponent(pair.slice(eq + 1));
    }
    return out;
  } catch {
    return undefined;
  }
}

const headerValue = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

const fail = (failure: AuthFailure, detail?: string): SignatureCheck => ({
  ok: false,
  failure,
  message: `Incorrect IAM authentication information: ${AUTH_FAILURES[failure]}${detail ? `, ${detail}` : ''}`,
});

/**
 * Verifies an SDK-HMAC-SHA256 signature the way the API gateway does, by recomputing it from the
 * request as received (decoded path segments, decoded query pairs, the headers named in
 * SignedHeaders with `host` from the Host header, X-Sdk-Date, the body bytes) with the project's own
 * `computeSignature`, and comparing in constant time.
 *
 * Checks, in order: Authorization present and well-formed; `host` and `x-sdk-date` signed;
 * X-Sdk-Date present, well-formed and within `maxClockSkewMs` of `now`; every signed header
 * present; an X-Security-Token, if sent, signed and matching the credentials' token; access key known;
 * signature equal.
 */
export function verifySignature(req: ReceivedRequest, options: VerifyOptions): SignatureCheck {
  const authorization = headerValue(req.headers, 'authorization');
  if (!authorization) return fail('missingAuthorization');
  const auth = parseAuthorization(authorization);
  if (!auth) return fail('malformedAuthorization');

  const signed = auth.signedHeaders;
  if (!signed.includes('host') || !signed.includes('x-sdk-date'))
    return fail('requiredHeaderNotSigned', `SignedHeaders=${signed.join(';')}`);
  const sdkDate = headerValue(req.headers, SIGNING.dateHeader.toLowerCase());
  if (sdkDate === undefined) return fail('missingDate');
  const signedAt = parseSdkDate(sdkDate);
  if (!signedAt) return fail('malformedDate', `X-Sdk-Date: ${sdkDate}`);
  const maxSkew = options.maxClockSkewMs ?? 15 * 60_000;
  if (Math.abs(options.now.getTime() - signedAt.getTime()) > maxSkew) {
    const serverTime = options.now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}Z$/, 'Z');
    return fail('signatureExpired', `signature time:${sdkDate},server time:${serverTime}`);
  }

  const signedValues: Record<string, string> = {};
  for (const name of signed) {
    const value = headerValue(req.headers, name);
    if (value === undefined) return fail('signedHeaderMissing', `header: ${name}`);
    signedValues[name] = value;
  }

  const tokenHeader = SIGNING.securityTokenHeader.toLowerCase();
  const token = headerValue(req.headers, tokenHeader);
  if (token !== undefined && !signed.includes(tokenHeader)) return fail('securityTokenNotSigned');

  const credentials = options.credentials.find((c) => c.accessKeyId === auth.accessKeyId);
  if (!credentials) return fail('unknownAccessKey', `ak:${auth.accessKeyId},err:ak not exist`);
  if ((credentials.securityToken ?? undefined) !== token) return fail('securityTokenInvalid');

  const pathSegments = decodePathSegments(req.rawPath);
  const query = decodeQuery(req.rawQuery);
  if (!pathSegments || !query) return fail('signatureMismatch', 'undecodable path or query');
  const expected = computeSignature(
    { method: req.method, host: signedValues.host ?? '', pathSegments, query, body: req.body },
    signedValues,
    sdkDate,
    credentials.secretAccessKey,
  ).signature;
  const a = Buffer.from(auth.signature, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return fail('signatureMismatch');
  return { ok: true, accessKeyId: auth.accessKeyId };
}
