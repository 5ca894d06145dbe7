/**
 * Where the official SDK's signature diverges from the documented algorithm (each raw path
 * segment percent-encoded once), and where it agrees. Our signer follows the documented algorithm.
 *
 * The SDK puts service path params (`instance_id`, `task_id`) raw into the URL template
 * (`String.replace`), pre-encodes the project id with `encodeURIComponent`, then parses the URL
 * with Node's legacy `url.parse` (which escapes some characters, trims trailing whitespace and
 * treats `\`, `?` and `#` as structure) and encodes each segment of that already-escaped path
 * once more. Each row below pins the SDK's canonical URI and ours, and checks that the SDK's
 * signature is exactly ours for the path the SDK actually signed, so the test fails if either
 * side changes. Real project, instance and task ids contain none of these characters, and the
 * HTTP functions reject them before any upstream call.
 */
import { describe, expect, it } from 'vitest';
import { canonicalUri, signRequest, SIGNING } from '../../lib/signing';
import { PATH_AGREED_ASCII, PROJECT_AGREED } from './support/arbitraries';
import { canonicalUriOf, sdkSign } from './support/sdkOracle';
import { JSON_CONTENT_TYPE, PROJECT_SEGMENT, toOurRequest, toSdkCall, type SigningCase } from './support/signingCase';

const base = {
  host: 'dms.cn-north-4.myhuaweicloud.com',
  query: { limit: 10 },
  contentType: JSON_CONTENT_TYPE,
  credentials: { accessKeyId: 'HPUAEXAMPLEAKEXAMPLE', secretAccessKey: 'exampleSecretKeyexampleSecretKey12345678' },
  date: new Date('2026-11-23T01:02:03Z'),
} as const;
const PROJECT = '0123456789abcdef0123456789abcdef';

/** `/v2/{project}/instances/{instanceId}/tasks`, the list path, with `instanceId` raw as the SDK passes it. */
const listPath = (instanceId: string): SigningCase => ({
  ...base,
  projectId: PROJECT,
  path: ['v2', PROJECT_SEGMENT, 'instances', instanceId, 'tasks'],
});
/** The show path, the raw param last: where `url.parse` trims trailing whitespace. */
const showPath = (taskId: string): SigningCase => ({
  ...base,
  projectId: PROJECT,
  path: ['v2', PROJECT_SEGMENT, 'instances', 'i-1', 'tasks', taskId],
});
/** A project id from the credentials, which the SDK pre-encodes with `encodeURIComponent`. */
const withProject = (projectId: string): SigningCase => ({
  ...base,
  projectId,
  path: ['v2', PROJECT_SEGMENT, 'instances', 'i-1', 'tasks'],
});

interface Divergence {
  readonly name: string;
  readonly request: SigningCase;
  /** The canonical URI the SDK signs. */
  readonly sdkUri: string;
  /** The canonical URI we sign (documented algorithm). */
  readonly oursUri: string;
  /** Raw segments for which our signer reproduces the SDK's signature: what the SDK really signed. */
  readonly sdkSignedPath: readonly string[];
}

const L = `/v2/${PROJECT}/instances`;
const escapedTwice = (name: string, char: string, hex: string): Divergence => ({
  name: `${name}: SDK encodes twice (%25${hex}), we encode once (%${hex})`,
  request: listPath(`a${char}b`),
  sdkUri: `${L}/a%25${hex}b/tasks/`,
  oursUri: `${L}/a%${hex}b/tasks/`,
  sdkSignedPath: ['v2', PROJECT, 'instances', `a%${hex}b`, 'tasks'],
});
const projectTwice = (name: string, char: string, sdkSeg: string, oursSeg: string, escaped: string): Divergence => ({
  name: `project id with ${name}: pre-encoded by the SDK, so encoded twice`,
  request: withProject(`p${char}q`),
  sdkUri: `/v2/p${sdkSeg}q/instances/i-1/tasks/`,
  oursUri: `/v2/p${oursSeg}q/instances/i-1/tasks/`,
  sdkSignedPath: ['v2', `p${escaped}q`, 'instances', 'i-1', 'tasks'],
});

const DIVERGENCES: readonly Divergence[] = [
  // Service path params: characters that Node's legacy url.parse auto-escapes.
  escapedTwice('space', ' ', '20'),
  escapedTwice('double quote', '"', '22'),
  escapedTwice('single quote', "'", '27'),
  escapedTwice('less-than', '<', '3C'),
  escapedTwice('greater-than', '>', '3E'),
  escapedTwice('caret', '^', '5E'),
  escapedTwice('backtick', '`', '60'),
  escapedTwice('left brace', '{', '7B'),
  escapedTwice('pipe', '|', '7C'),
  escapedTwice('right brace', '}', '7D'),
  escapedTwice('tab', '\t', '09'),
  escapedTwice('line feed', '\n', '0A'),
  escapedTwice('carriage return', '\r', '0D'),
  // Service path params: characters url.parse treats as URL structure.
  {
    name: 'slash: the SDK splits the param into two segments',
    request: listPath('a/b'),
    sdkUri: `${L}/a/b/tasks/`,
    oursUri: `${L}/a%2Fb/tasks/`,
    sdkSignedPath: ['v2', PROJECT, 'instances', 'a', 'b', 'tasks'],
  },
  {
    name: 'backslash: url.parse turns it into a slash',
    request: listPath('a\\b'),
    sdkUri: `${L}/a/b/tasks/`,
    oursUri: `${L}/a%5Cb/tasks/`,
    sdkSignedPath: ['v2', PROJECT, 'instances', 'a', 'b', 'tasks'],
  },
  {
    name: 'question mark: the rest of the path becomes a query the SDK does not sign',
    request: listPath('a?b'),
    sdkUri: `${L}/a/`,
    oursUri: `${L}/a%3Fb/tasks/`,
    sdkSignedPath: ['v2', PROJECT, 'instances', 'a'],
  },
  {
    name: 'hash: the rest of the path becomes a fragment the SDK does not sign',
    request: listPath('a#b'),
    sdkUri: `${L}/a/`,
    oursUri: `${L}/a%23b/tasks/`,
    sdkSignedPath: ['v2', PROJECT, 'instances', 'a'],
  },
  // Whitespace at the very end of the URL is trimmed by url.parse.
  ...(
    [
      ['space', ' ', '%20'],
      ['NUL', '\u0000', '%00'],
      ['unit separator U+001F', '\u001f', '%1F'],
      ['no-break space U+00A0', '\u00a0', '%C2%A0'],
      ['byte order mark U+FEFF', '\ufeff', '%EF%BB%BF'],
    ] as const
  ).map(
    ([name, char, encoded]): Divergence => ({
      name: `trailing ${name} in the last segment: the SDK trims it`,
      request: showPath(`t${char}`),
      sdkUri: `${L}/i-1/tasks/t/`,
      oursUri: `${L}/i-1/tasks/t${encoded}/`,
      sdkSignedPath: ['v2', PROJECT, 'instances', 'i-1', 'tasks', 't'],
    }),
  ),
  // `HcClient.buildRequest` substitutes params with String.replace, so `$` patterns are expanded.
  {
    name: '"$&" in a param: String.replace puts the placeholder back',
    request: listPath('a$&b'),
    sdkUri: `${L}/a%257Bp3%257Db/tasks/`,
    oursUri: `${L}/a%24%26b/tasks/`,
    sdkSignedPath: ['v2', PROJECT, 'instances', 'a%7Bp3%7Db', 'tasks'],
  },
  {
    name: '"$$" in a param: String.replace collapses it to "$"',
    request: listPath('a$$b'),
    sdkUri: `${L}/a%24b/tasks/`,
    oursUri: `${L}/a%24%24b/tasks/`,
    sdkSignedPath: ['v2', PROJECT, 'instances', 'a$b', 'tasks'],
  },
  {
    name: '"$\'" in a param: String.replace inserts the rest of the URL template',
    request: listPath("a$'b"),
    sdkUri: `${L}/a/tasksb/tasks/`,
    oursUri: `${L}/a%24%27b/tasks/`,
    sdkSignedPath: ['v2', PROJECT, 'instances', 'a', 'tasksb', 'tasks'],
  },
  // The project id: pre-encoded with encodeURIComponent, so all it encodes is encoded twice.
  projectTwice('a space', ' ', '%2520', '%20', '%20'),
  projectTwice('"$"', '$', '%2524', '%24', '%24'),
  projectTwice('"%"', '%', '%2525', '%25', '%25'),
  projectTwice('"&"', '&', '%2526', '%26', '%26'),
  projectTwice('"+"', '+', '%252B', '%2B', '%2B'),
  projectTwice('","', ',', '%252C', '%2C', '%2C'),
  projectTwice('":"', ':', '%253A', '%3A', '%3A'),
  projectTwice('";"', ';', '%253B', '%3B', '%3B'),
  projectTwice('"="', '=', '%253D', '%3D', '%3D'),
  projectTwice('"@"', '@', '%2540', '%40', '%40'),
  projectTwice('"["', '[', '%255B', '%5B', '%5B'),
  projectTwice('"/"', '/', '%252F', '%2F', '%2F'),
  projectTwice('a single quote (escaped by url.parse after encodeURIComponent kept it)', "'", '%2527', '%27', '%27'),
  projectTwice('"é"', 'é', '%25C3%25A9', '%C3%A9', '%C3%A9'),
  projectTwice('"中"', '中', '%25E4%25B8%25AD', '%E4%B8%AD', '%E4%B8%AD'),
  projectTwice('an emoji (surrogate pair)', '😀', '%25F0%259F%2598%2580', '%F0%9F%98%80', '%F0%9F%98%80'),
];

function ours(request: SigningCase, path: readonly string[] = toOurRequest(request).pathSegments): string {
  const headers = signRequest({ ...toOurRequest(request), pathSegments: path }, request.credentials, {
    date: request.date,
  });
  return headers[SIGNING.authorizationHeader] as string;
}

describe('SDK path quirks: where the official SDK signer diverges from the documented algorithm', () => {
  it.each(DIVERGENCES.map((d) => [d.name, d] as const))('%s', async (_name, d) => {
    const sdk = await sdkSign(toSdkCall(d.request));
    expect(canonicalUriOf(sdk.canonicalRequest)).toBe(d.sdkUri);
    expect(canonicalUri(toOurRequest(d.request).pathSegments)).toBe(d.oursUri);
    expect(ours(d.request)).not.toBe(sdk.authorization);
    // The URI is the only difference: given the path the SDK really signed, we sign the same.
    expect(canonicalUri(d.sdkSignedPath)).toBe(d.sdkUri);
    expect(ours(d.request, d.sdkSignedPath)).toBe(sdk.authorization);
  });

  it('host: the SDK lower-cases the host (url.parse) while we sign it as given, so pass it lower-case', async () => {
    const request: SigningCase = { ...listPath('i-1'), host: 'DMS.CN-North-4.MyHuaweiCloud.com:443' };
    const sdk = await sdkSign(toSdkCall(request));
    expect(sdk.headers.host).toBe('dms.cn-north-4.myhuaweicloud.com:443');
    expect(ours(request)).not.toBe(sdk.authorization);
    expect(ours({ ...request, host: 'dms.cn-north-4.myhuaweicloud.com:443' })).toBe(sdk.authorization);
  });

  it(
    'an undefined query value: the SDK signs "k=undefined", ' +
      'we leave the key out (its generated clients never pass one)',
    async () => {
      const request = listPath('i-1');
      const call = toSdkCall(request);
      const sdk = await sdkSign({
        ...call,
        options: { ...call.options, queryParams: { limit: 10, start: undefined } },
      });
      expect(sdk.canonicalRequest.split('\n')[2]).toBe('limit=10&start=undefined');
      const headers = signRequest(
        { ...toOurRequest(request), query: { limit: 10, start: undefined } },
        request.credentials,
        { date: request.date },
      );
      expect(headers[SIGNING.authorizationHeader]).toBe(ours(request));
      expect(headers[SIGNING.authorizationHeader]).not.toBe(sdk.authorization);
    },
  );
});

describe('SDK path agreement: the alphabets the conformance test draws path segments from', () => {
  const ALNUM = /[A-Za-z0-9]/;
  const serviceChars = [
    ...Array.from(PATH_AGREED_ASCII).filter((c) => !ALNUM.test(c)),
    '$',
    'é',
    'ß',
    'Ж',
    '中',
    '😀',
    '\u3000',
    '\u2028',
    '\u0085',
    'a\u0301',
  ];
  const agreeOnService = async (c: string) => {
    for (const request of [listPath(`a${c}b`), listPath(c), showPath(`t${c}`)]) {
      const sdk = await sdkSign(toSdkCall(request));
      expect(canonicalUriOf(sdk.canonicalRequest)).toBe(canonicalUri(toOurRequest(request).pathSegments));
      expect(ours(request)).toBe(sdk.authorization);
    }
  };
  it('service path params of letters and digits: encoded once by both', async () => {
    await agreeOnService(
      Array.from(PATH_AGREED_ASCII)
        .filter((c) => ALNUM.test(c))
        .join(''),
    );
  });
  it.each(serviceChars.map((c) => [JSON.stringify(c), c] as const))(
    'service path param containing %s: encoded once by both',
    async (_name, c) => {
      await agreeOnService(c);
    },
  );

  it(`project id of ${JSON.stringify(PROJECT_AGREED)} (kept by encodeURIComponent): encoded once by both`, async () => {
    for (const c of [PROJECT_AGREED, ...Array.from('-._~!*()')]) {
      const request = withProject(`p${c}q`);
      const sdk = await sdkSign(toSdkCall(request));
      expect(ours(request)).toBe(sdk.authorization);
    }
  });

  it('an empty path segment: both sign "//"', async () => {
    const request = listPath('');
    const sdk = await sdkSign(toSdkCall(request));
    expect(canonicalUriOf(sdk.canonicalRequest)).toBe(`${L}//tasks/`);
    expect(ours(request)).toBe(sdk.authorization);
  });
});
