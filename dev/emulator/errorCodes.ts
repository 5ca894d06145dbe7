/**
 * Every error the emulator sends, with the source of its code.
 *
 * Bodies are `{"error_code": ..., "error_msg": ...}`; API-gateway (`APIGW.*`) bodies also carry
 * `request_id`, as the gateway's documented examples do. Every response has an `X-Request-Id`.
 *
 * Sources:
 * - `APIGW.0301` (401) and its messages: Huawei Cloud "API Request Signing Guide", FAQ "Common Errors
 *   Related to IAM Authentication Information" (support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-0001.html)
 *   and the APIG FAQ apig-faq-0003 / apig-faq-0009: one code, `APIGW.0301`, for every IAM AK/SK
 *   failure ("verify aksk signature fail", "Get secretKey failed,ak:...,err:ak not exist",
 *   "x-auth-token not found", and for the date check "signature expired, signature time:...,server
 *   time:..."). `APIGW.0303` is the same family for *app* authentication and `APIGW.0305`
 *   "incorrect authentication information" in general; DMS uses IAM authentication, so the emulator
 *   sends only `APIGW.0301` and says what failed in the message.
 * - `APIGW.0101` (404): the signing guide's error-code table (devg-apisign/api-sign-errorcode.html):
 *   "The API does not exist or has not been published in the environment." and, for a wrong method,
 *   "The API does not exist."
 * - Lockout: the same FAQ pages: "AK access failed to reach the limit,forbidden" under `APIGW.0301`
 *   when an AK/SK pair failed five times in a row; it stays locked for five minutes.
 * - `APIGW.0302` (403) "The IAM user is not authorized to access the API.": the signing guide's
 *   error-code table. Which answer the real gateway gives for a project the AK does not belong to, or
 *   a path project other than `X-Project-Id`, is not documented; the emulator chose this one.
 * - `APIGW.0308` (429): the same table ("The throttling threshold has been reached"), also used by
 *   public clients as the throttling code. Default body of a 429 fault.
 * - `APIGW.0202` / `APIGW.0203` (502/503, 504): "Backend unavailable" / "Backend timeout" are the
 *   gateway's documented messages (APIG FAQ apig_0087908599); the code numbers are from memory of
 *   the gateway table and were not confirmed in the stored excerpts. Default bodies of 5xx faults.
 * - `DMS.00400002` (400) and `DMS.00404022` (404): the DMS error-code tables (Kafka, RocketMQ,
 *   RabbitMQ API references).
 * - `DMS.00400001`, `DMS.00404040`, `DMS.00500000`: chosen by the emulator; upstream codes for a bad
 *   query parameter, an unknown task and an internal error are not documented. Client code should
 *   branch on the HTTP status, not on these.
 * - `EMULATOR.*`: control-surface errors; they exist only in the emulator.
 */
export const ERRORS = {
  /** Unknown path: no such API behind the gateway. */
  apiNotFound: {
    status: 404,
    code: 'APIGW.0101',
    msg: 'The API does not exist or has not been published in the environment.',
  },
  /** Known path, other method than GET. */
  methodNotFound: { status: 404, code: 'APIGW.0101', msg: 'The API does not exist.' },
  /** Every signature failure; the message says which check failed. */
  authFailed: { status: 401, code: 'APIGW.0301', msg: 'Incorrect IAM authentication information' },
  /** An access key locked after consecutive signature failures (signing guide, APIG FAQ). */
  accessKeyLocked: {
    status: 401,
    code: 'APIGW.0301',
    msg: 'Incorrect IAM authentication information: AK access failed to reach the limit,forbidden',
  },
  /** A project the access key does not belong to, or a path project other than `X-Project-Id`. */
  notAuthorized: { status: 403, code: 'APIGW.0302', msg: 'The IAM user is not authorized to access the API.' },
  throttled: {
    status: 429,
    code: 'APIGW.0308',
    msg: 'The throttling threshold has been reached: policy user over ratelimit',
  },
  backendUnavailable: { status: 502, code: 'APIGW.0202', msg: 'Backend unavailable.' },
  backendTimeout: { status: 504, code: 'APIGW.0203', msg: 'Backend timeout.' },
  invalidProjectId: { status: 400, code: 'DMS.00400002', msg: 'The project ID format is invalid.' },
  invalidParameter: { status: 400, code: 'DMS.00400001', msg: 'Invalid request parameter.' },
  instanceNotFound: { status: 404, code: 'DMS.00404022', msg: 'The instance does not exist.' },
  taskNotFound: { status: 404, code: 'DMS.00404040', msg: 'The background task does not exist.' },
  internal: { status: 500, code: 'DMS.00500000', msg: 'Internal service error.' },
  controlBadRequest: { status: 400, code: 'EMULATOR.0400', msg: 'Bad control request.' },
  controlNotFound: { status: 404, code: 'EMULATOR.0404', msg: 'Not found.' },
} as const;

export type ErrorName = keyof typeof ERRORS;

/** Why a signature check failed; each becomes a distinct `APIGW.0301` message. */
export const AUTH_FAILURES = {
  missingAuthorization: 'x-auth-token not found',
  malformedAuthorization: 'Authorization header is not SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...',
  requiredHeaderNotSigned: 'SignedHeaders must include host and x-sdk-date',
  signedHeaderMissing: 'a header named in SignedHeaders is missing',
  missingDate: 'X-Sdk-Date not found',
  malformedDate: 'X-Sdk-Date is not YYYYMMDDTHHmmssZ',
  signatureExpired: 'signature expired',
  unknownAccessKey: 'Get secretKey failed',
  securityTokenNotSigned: 'X-Security-Token is present but not signed',
  securityTokenInvalid: 'security token invalid',
  signatureMismatch: 'verify aksk signature fail',
} as const;

export type AuthFailure = keyof typeof AUTH_FAILURES;

/** Default body of a `status` fault without a body. */
export function defaultFaultError(status: number): { code: string; msg: string } {
  if (status === 429) return ERRORS.throttled;
  if (status === 502 || status === 503) return ERRORS.backendUnavailable;
  if (status === 504) return ERRORS.backendTimeout;
  if (status >= 500) return ERRORS.internal;
  return { code: 'EMULATOR.FAULT', msg: `Injected fault: HTTP ${status}.` };
}
