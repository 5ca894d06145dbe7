/**
 * fast-check arbitraries for signing cases, and the alphabets on which the official SDK and the
 * documented algorithm agree (found empirically; `sdkPathQuirks.test.ts` pins both the agreement
 * and every divergence).
 */
import fc from 'fast-check';
import type { Credentials } from '../../../lib/signing';
import { JSON_CONTENT_TYPE, PROJECT_SEGMENT, type SigningCase } from './signingCase';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** RFC 3986 unreserved characters: kept as they are by every encoder involved. */
export const UNRESERVED = `${ALNUM}-._~`;

/**
 * ASCII characters on which the SDK and our signer agree in a service path param (`instance_id`,
 * `task_id`), which the SDK puts raw into the URL: unreserved, plus those Node's legacy
 * `url.parse` leaves alone and the signer then encodes once.
 * `$` alone agrees too, but `$&`, `$$`, `` $` `` and `$'` are `String.replace` patterns in
 * `HcClient.buildRequest`, so it is left out of the random alphabet.
 */
export const PATH_AGREED_ASCII = `${UNRESERVED}!%&()*+,:;=@[]`;

/**
 * Characters on which they agree in the project id, which the SDK pre-encodes with
 * `encodeURIComponent` before `url.parse`: only what `encodeURIComponent` keeps and `url.parse`
 * does not escape. Everything else (unicode included) is encoded twice by the SDK.
 */
export const PROJECT_AGREED = `${UNRESERVED}!*()`;

/** Reserved and otherwise awkward ASCII for query keys and values, which must all agree. */
const QUERY_AWKWARD_ASCII = ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~\t\n\r\u0000\u007f';

const oneOf = (chars: string): fc.Arbitrary<string> => fc.constantFrom(...Array.from(chars));
const oneGrapheme = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 });
const oneCodePoint = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });

/**
 * Non-ASCII graphemes (letters of many scripts, combining marks, emoji as surrogate pairs).
 * U+00A0 and U+FEFF are left out: `url.parse` trims them, like ASCII whitespace, from the end of
 * a URL, so at the end of the last segment they diverge.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: excludes the whole ASCII range, control characters included
const nonAsciiGrapheme = oneGrapheme.filter((g) => /^[^\u0000-\u007f\u00a0\ufeff]+$/u.test(g));

const pathUnit = fc.oneof(
  { weight: 3, arbitrary: oneOf(PATH_AGREED_ASCII) },
  { weight: 1, arbitrary: nonAsciiGrapheme },
);
export const pathSegment = fc.string({ unit: pathUnit, minLength: 1, maxLength: 12 });

const queryUnit = fc.oneof(
  { weight: 3, arbitrary: oneOf(ALNUM) },
  { weight: 3, arbitrary: oneOf(QUERY_AWKWARD_ASCII) },
  { weight: 2, arbitrary: oneGrapheme },
  { weight: 1, arbitrary: oneCodePoint },
);
export const queryKey = fc.string({ unit: queryUnit, minLength: 0, maxLength: 10 });
export const queryValue: fc.Arbitrary<string | number> = fc.oneof(
  { weight: 2, arbitrary: fc.constant('') },
  { weight: 5, arbitrary: fc.string({ unit: queryUnit, minLength: 1, maxLength: 16 }) },
  { weight: 1, arbitrary: fc.nat({ max: 100_000 }) },
);
export const queryMap = fc.dictionary(queryKey, queryValue, { minKeys: 0, maxKeys: 6 });

const REGIONS = ['cn-north-4', 'cn-east-3', 'ap-southeast-1', 'af-south-1', 'la-south-2', 'tr-west-1'] as const;
const hostName = fc.oneof(
  fc.constantFrom(...REGIONS).map((region) => `dms.${region}.myhuaweicloud.com`),
  fc.constant('dms.eu-west-101.myhuaweicloud.eu'),
  fc.constantFrom('localhost', '127.0.0.1'),
);
export const host = fc
  .tuple(hostName, fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined, freq: 2 }))
  .map(([name, port]) => (port === undefined ? name : `${name}:${port}`));

const hex = (length: number) => fc.string({ unit: oneOf('0123456789abcdef'), minLength: length, maxLength: length });
export const projectId = fc.oneof(hex(32), fc.string({ unit: oneOf(PROJECT_AGREED), minLength: 1, maxLength: 40 }));

const TOKEN_CHARS = `${ALNUM}-_=+/.`;
export const credentials: fc.Arbitrary<Credentials> = fc
  .record({
    accessKeyId: fc.string({ unit: oneOf('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), minLength: 20, maxLength: 20 }),
    secretAccessKey: fc.string({ unit: oneOf(ALNUM), minLength: 40, maxLength: 40 }),
    securityToken: fc.option(fc.string({ unit: oneOf(TOKEN_CHARS), minLength: 1, maxLength: 400 }), {
      nil: undefined,
      freq: 2,
    }),
  })
  .map(
    ({ securityToken, ...permanent }): Credentials =>
      securityToken === undefined ? permanent : { ...permanent, securityToken },
  );

/** Signing dates between 2000 and 2099, milliseconds included (both signers drop them). */
export const signingDate = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2099-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});

/** A random request: `/v2/{project_id}/` then random segments when there is a project id, else random segments only. */
export const signingCase: fc.Arbitrary<SigningCase> = fc
  .record({
    host,
    projectId: fc.option(projectId, { nil: undefined, freq: 2 }),
    segments: fc.array(pathSegment, { minLength: 1, maxLength: 5 }),
    query: queryMap,
    contentType: fc.option(fc.constant(JSON_CONTENT_TYPE), { nil: undefined, freq: 2 }),
    credentials,
    date: signingDate,
  })
  .map(({ segments, projectId: project, contentType, ...rest }) => ({
    ...rest,
    ...(project === undefined ? {} : { projectId: project }),
    ...(contentType === undefined ? {} : { contentType }),
    path: project === undefined ? segments : ['v2', PROJECT_SEGMENT, ...segments],
  }));
