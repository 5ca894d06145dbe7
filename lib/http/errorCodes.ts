/**
 * Our error codes (README, "Validation and error codes"): the upstream format
 * (`{namespace}.{5-digit status}{3-digit number}`, like `DMS.00404022`) in our own namespace `DTF`,
 * so a client can tell our answers from upstream ones at a glance.
 *
 * One `export const` per code, used as `ERROR_CODES.name` through `import * as ERROR_CODES`: the
 * same table as an `as const` object for readers and the type checker, but the bundler resolves each
 * use to its string and ships only the codes a function uses (an object literal ships whole).
 */

// 400: validation, before any upstream call
export const invalidProjectId = 'DTF.00400001';
export const invalidInstanceId = 'DTF.00400002';
export const invalidTaskId = 'DTF.00400003';
export const invalidOffset = 'DTF.00400010';
export const conflictingOffset = 'DTF.00400011';
export const invalidLimit = 'DTF.00400012';
export const invalidBeginTime = 'DTF.00400013';
export const invalidEndTime = 'DTF.00400014';
export const timeRangeInverted = 'DTF.00400015';
export const invalidAll = 'DTF.00400016';
export const unknownParameter = 'DTF.00400017';
export const repeatedParameter = 'DTF.00400018';
/** A path or query with bad percent-encoding (or text that is not well-formed Unicode). */
export const invalidEncoding = 'DTF.00400019';
// 400 of the operator API (`ops`)
export const invalidBody = 'DTF.00400030';
export const invalidSilence = 'DTF.00400031';
export const invalidHistoryFilter = 'DTF.00400032';
export const invalidCursor = 'DTF.00400033';
export const invalidSilenceId = 'DTF.00400034';
export const invalidFormat = 'DTF.00400035';
export const unrecognisedEvent = 'DTF.00400099';

// 401
export const missingToken = 'DTF.00401001';
export const invalidToken = 'DTF.00401002';

// 404 / 405
export const routeNotFound = 'DTF.00404000';
export const projectNotConfigured = 'DTF.00404001';
export const instanceNotAllowed = 'DTF.00404002';
export const silenceNotFound = 'DTF.00404010';
export const destinationNotFound = 'DTF.00404011';
export const methodNotAllowed = 'DTF.00405000';

// 409 / 413 (ops)
export const silenceFromConfiguration = 'DTF.00409010';
export const tooManySilences = 'DTF.00409011';
export const bodyTooLarge = 'DTF.00413000';

// 429: upstream throttled this account and its `Retry-After` has not ended (no call was made)
export const throttledHere = 'DTF.00429001';
// 429: a test notification to this destination was sent less than 10 seconds ago
export const testTooSoon = 'DTF.00429010';

// 5xx
export const internal = 'DTF.00500000';
export const upstreamError = 'DTF.00502001';
export const upstreamBadResponse = 'DTF.00502002';
export const upstreamUnreachable = 'DTF.00502003';
export const upstreamRejectedCredentials = 'DTF.00502004';
export const upstreamTimeout = 'DTF.00504001';

// The fleet page (lib/ops/page)
export const invalidPageQuery = 'DTF.00400040';
export const invalidPageNumber = 'DTF.00400041';
export const invalidPageSilence = 'DTF.00400042';
export const crossSiteRequest = 'DTF.00403040';
export const signInLimited = 'DTF.00429040';
export const pageSilenceNotFound = 'DTF.00404040';
