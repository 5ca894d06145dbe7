import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
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
  | {
      readonly ok: false;
      readonly failure: AuthFailure;
      readonly message: string;
      /** The access key the Authorization header named, when it could be parsed. */
      readonly accessKeyId?: string;
    };

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

/**
 * The official SDK signer's payload-hash override: when a request carries `X-Sdk-Content-Sha256`,
 * the last line of the canonical request is that header's value instead of the body's sha256. The
 * SDK sends `UNSIGNED-PAYLOAD` there for bodies it does not hash, and the gateway accepts it.
 */
export const CONTENT_SHA256_HEADER = 'x-sdk-content-sha256';
/** The literal payload hash of a request whose body is not signed. */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** The signature over `canonicalRequest` with its payload-hash line replaced by `payloadHash`. */
function resign(canonicalRequest: string, payloadHash: string, sdkDate: string, credentials: Credentials): string {
  const canonical = `${canonicalRequest.slice(0, canonicalRequest.lastIndexOf('\n') + 1)}${payloadHash}`;
  const stringToSign = `${SIGNING.algorithm}\n${sdkDate}\n${sha256Hex(canonical)}`;
  return createHmac('sha256', credentials.secretAccessKey).update(stringToSign).digest('hex');
}

const fail = (failure: AuthFailure, detail?: string, accessKeyId?: string): SignatureCheck => ({
  ok: false,
  failure,
  message: `Incorrect IAM authentication information: ${AUTH_FAILURES[failure]}${detail ? `, ${detail}` : ''}`,
  ...(accessKeyId === undefined ? {} : { accessKeyId }),
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
 * an `X-Sdk-Content-Sha256` other than `UNSIGNED-PAYLOAD`, if sent, equal to the body's sha256;
 * signature equal (over that header's value as the payload hash when it is sent, as the SDK signs).
 * A failure after the Authorization header parsed names its access key, for the lockout.
 */
export function verifySignature(req: ReceivedRequest, options: VerifyOptions): SignatureCheck {
  const authorization = headerValue(req.headers, 'authorization');
  if (!authorization) return fail('missingAuthorization');
  const auth = parseAuthorization(authorization);
  if (!auth) return fail('malformedAuthorization');

  const failAk = (failure: AuthFailure, detail?: string): SignatureCheck => fail(failure, detail, auth.accessKeyId);
  const signed = auth.signedHeaders;
  if (!signed.includes('host') || !signed.includes('x-sdk-date'))
    return failAk('requiredHeaderNotSigned', `SignedHeaders=${signed.join(';')}`);
  const sdkDate = headerValue(req.headers, SIGNING.dateHeader.toLowerCase());
  if (sdkDate === undefined) return failAk('missingDate');
  const signedAt = parseSdkDate(sdkDate);
  if (!signedAt) return failAk('malformedDate', `X-Sdk-Date: ${sdkDate}`);
  const maxSkew = options.maxClockSkewMs ?? 15 * 60_000;
  if (Math.abs(options.now.getTime() - signedAt.getTime()) > maxSkew) {
    const serverTime = options.now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}Z$/, 'Z');
    return failAk('signatureExpired', `signature time:${sdkDate},server time:${serverTime}`);
  }

  const signedValues: Record<string, string> = {};
  for (const name of signed) {
    const value = headerValue(req.headers, name);
    if (value === undefined) return failAk('signedHeaderMissing', `header: ${name}`);
    signedValues[name] = value;
  }

  const tokenHeader = SIGNING.securityTokenHeader.toLowerCase();
  const token = headerValue(req.headers, tokenHeader);
  if (token !== undefined && !signed.includes(tokenHeader)) return failAk('securityTokenNotSigned');

  const credentials = options.credentials.find((c) => c.accessKeyId === auth.accessKeyId);
  if (!credentials) return failAk('unknownAccessKey', `ak:${auth.accessKeyId},err:ak not exist`);
  if ((credentials.securityToken ?? undefined) !== token) return failAk('securityTokenInvalid');

  const pathSegments = decodePathSegments(req.rawPath);
  const query = decodeQuery(req.rawQuery);
  if (!pathSegments || !query) return failAk('signatureMismatch', 'undecodable path or query');
  const payloadHash = headerValue(req.headers, CONTENT_SHA256_HEADER);
  if (
    payloadHash !== undefined &&
    payloadHash !== UNSIGNED_PAYLOAD &&
    payloadHash.toLowerCase() !== sha256Hex(req.body)
  )
    return failAk('signatureMismatch', `${CONTENT_SHA256_HEADER} is not the sha256 of the body`);
  const parts = computeSignature(
    { method: req.method, host: signedValues.host ?? '', pathSegments, query, body: req.body },
    signedValues,
    sdkDate,
    credentials.secretAccessKey,
  );
  const expected =
    payloadHash === undefined ? parts.signature : resign(parts.canonicalRequest, payloadHash, sdkDate, credentials);
  const a = Buffer.from(auth.signature, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return failAk('signatureMismatch');
  return { ok: true, accessKeyId: auth.accessKeyId };
}
