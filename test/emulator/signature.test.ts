import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSignedUrl, computeSignature, formatSdkDate, signRequest, SIGNING } from '../../lib/signing';
import { AUTH_FAILURES, EMULATOR_CREDENTIALS, SEED_IDS, startEmulator, type Emulator } from '../../dev/emulator';
import { asError, asTaskPage, fixedNow, NOW, rawRequest, signedGet, tasksPath, type RawResponse } from './helpers';

const LIST = tasksPath(SEED_IDS.mainProject, SEED_IDS.kafkaPaged);
const MINUTE = 60_000;

let emulator: Emulator;
let host: string;
beforeAll(async () => {
  // Many failures in a row with one AK: without `lockout: false` the gateway's lockout (gateway.test.ts)
  // would lock it after five and hide the check each case is about.
  emulator = await startEmulator({ now: fixedNow, lockout: false });
  host = new URL(emulator.url).host;
});
afterAll(() => emulator.close());

/** Sends a GET of the task list whose headers are signed by hand with `computeSignature`. */
function handSigned(
  headersToSign: Record<string, string>,
  sdkDate: string,
  extra: Record<string, string> = {},
): Promise<RawResponse> {
  const req = { method: 'GET', host, pathSegments: LIST, query: { limit: 1 } };
  const { signedHeaders, signature } = computeSignature(
    req,
    headersToSign,
    sdkDate,
    EMULATOR_CREDENTIALS.secretAccessKey,
  );
  return rawRequest(buildSignedUrl(emulator.url, req), {
    ...headersToSign,
    ...extra,
    Authorization:
      `${SIGNING.algorithm} Access=${EMULATOR_CREDENTIALS.accessKeyId}, ` +
      `SignedHeaders=${signedHeaders}, Signature=${signature}`,
  });
}

function expectAuthFailure(res: RawResponse, message: string): void {
  expect(res.status).toBe(401);
  const body = asError(res.json);
  expect(body.error_code).toBe('APIGW.0301');
  expect(body.error_msg).toContain('Incorrect IAM authentication information');
  expect(body.error_msg).toContain(message);
  expect(body.request_id).toBe(res.headers['x-request-id']);
}

const flipHex = (c: string): string => (c === '0' ? '1' : '0');

describe('signature check', () => {
  it('accepts a request signed by lib/signing, and answers with a 32-hex X-Request-Id', async () => {
    const res = await signedGet(emulator, LIST, { limit: 1 });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(asTaskPage(res.json).tasks).toHaveLength(1);
  });

  it('accepts extra signed headers (X-Project-Id, Content-Type), as the SDK sends them', async () => {
    const res = await signedGet(
      emulator,
      LIST,
      {},
      { signedHeaders: { 'X-Project-Id': SEED_IDS.mainProject, 'Content-Type': 'application/json' } },
    );
    expect(res.status).toBe(200);
  });

  const cases: { name: string; options: Parameters<typeof signedGet>[3]; message: string }[] = [
    {
      name: 'no Authorization header',
      options: { tamper: ({ Authorization: _a, ...rest }) => rest },
      message: AUTH_FAILURES.missingAuthorization,
    },
    {
      name: 'a malformed Authorization',
      options: { tamper: (h) => ({ ...h, Authorization: 'Bearer abc' }) },
      message: AUTH_FAILURES.malformedAuthorization,
    },
    {
      name: 'a truncated signature',
      options: { tamper: (h) => ({ ...h, Authorization: (h.Authorization ?? '').slice(0, -1) }) },
      message: AUTH_FAILURES.malformedAuthorization,
    },
    {
      name: 'an unknown access key',
      options: { credentials: { accessKeyId: 'NOSUCHAK', secretAccessKey: EMULATOR_CREDENTIALS.secretAccessKey } },
      message: 'ak:NOSUCHAK,err:ak not exist',
    },
    {
      name: 'the wrong secret key',
      options: { credentials: { accessKeyId: EMULATOR_CREDENTIALS.accessKeyId, secretAccessKey: 'wrong' } },
      message: AUTH_FAILURES.signatureMismatch,
    },
    {
      name: 'one hex character of the signature changed',
      options: { tamper: (h) => ({ ...h, Authorization: (h.Authorization ?? '').replace(/.$/, (c) => flipHex(c)) }) },
      message: AUTH_FAILURES.signatureMismatch,
    },
    {
      name: 'X-Sdk-Date removed',
      options: { tamper: ({ 'X-Sdk-Date': _d, ...rest }) => rest },
      message: AUTH_FAILURES.missingDate,
    },
    {
      name: 'X-Sdk-Date changed by a second after signing',
      options: { tamper: (h) => ({ ...h, 'X-Sdk-Date': formatSdkDate(new Date(NOW.getTime() + 1000)) }) },
      message: AUTH_FAILURES.signatureMismatch,
    },
    {
      name: 'a signed header removed (X-Project-Id)',
      options: {
        signedHeaders: { 'X-Project-Id': SEED_IDS.mainProject },
        tamper: ({ 'X-Project-Id': _p, ...rest }) => rest,
      },
      message: 'header: x-project-id',
    },
    {
      name: 'a signed header changed',
      options: {
        signedHeaders: { 'X-Project-Id': SEED_IDS.mainProject },
        tamper: (h) => ({ ...h, 'X-Project-Id': SEED_IDS.otherProject }),
      },
      message: AUTH_FAILURES.signatureMismatch,
    },
    {
      name: 'X-Security-Token sent but not signed',
      options: { tamper: (h) => ({ ...h, 'X-Security-Token': 'token' }) },
      message: AUTH_FAILURES.securityTokenNotSigned,
    },
    {
      name: 'a date 16 minutes in the past',
      options: { date: new Date(NOW.getTime() - 16 * MINUTE) },
      message: AUTH_FAILURES.signatureExpired,
    },
    {
      name: 'a date 16 minutes in the future',
      options: { date: new Date(NOW.getTime() + 16 * MINUTE) },
      message: AUTH_FAILURES.signatureExpired,
    },
  ];
  it.each(cases)('refuses $name with 401 APIGW.0301', async ({ options, message }) => {
    expectAuthFailure(await signedGet(emulator, LIST, { limit: 1 }, options), message);
  });

  it('accepts dates up to 15 minutes off either way', async () => {
    for (const offset of [-15 * MINUTE, -14 * MINUTE, 14 * MINUTE, 15 * MINUTE]) {
      const res = await signedGet(emulator, LIST, { limit: 1 }, { date: new Date(NOW.getTime() + offset) });
      expect(res.status, `offset ${offset / MINUTE} min`).toBe(200);
    }
  });

  it('refuses a request whose query or path changed after signing', async () => {
    const req = { method: 'GET', host, pathSegments: LIST, query: { limit: 1 } };
    const headers = signRequest(req, EMULATOR_CREDENTIALS, { date: NOW });
    expectAuthFailure(
      await rawRequest(buildSignedUrl(emulator.url, { ...req, query: { limit: 2 } }), headers),
      AUTH_FAILURES.signatureMismatch,
    );
    const otherPath = tasksPath(SEED_IDS.mainProject, SEED_IDS.rocketmq);
    expectAuthFailure(
      await rawRequest(buildSignedUrl(emulator.url, { ...req, pathSegments: otherPath }), headers),
      AUTH_FAILURES.signatureMismatch,
    );
  });

  it('refuses SignedHeaders without host or without x-sdk-date, even when correctly computed', async () => {
    const date = formatSdkDate(NOW);
    expectAuthFailure(await handSigned({ 'X-Sdk-Date': date }, date, { host }), AUTH_FAILURES.requiredHeaderNotSigned);
    expectAuthFailure(await handSigned({ host }, date, { 'X-Sdk-Date': date }), AUTH_FAILURES.requiredHeaderNotSigned);
    const ok = await handSigned({ host, 'X-Sdk-Date': date }, date);
    expect(ok.status).toBe(200);
  });

  it('refuses a malformed X-Sdk-Date even when the signature over it is right', async () => {
    for (const bad of ['2026-03-01T12:00:00Z', '20260301T120000', '20260230T120000Z', '20260301T250000Z']) {
      expectAuthFailure(await handSigned({ host, 'X-Sdk-Date': bad }, bad), AUTH_FAILURES.malformedDate);
    }
  });

  it('records whether each request was signed', async () => {
    emulator.resetRequests();
    await signedGet(emulator, LIST, { limit: 1 });
    await signedGet(
      emulator,
      LIST,
      { limit: 1 },
      { credentials: { ...EMULATOR_CREDENTIALS, secretAccessKey: 'nope' } },
    );
    expect(emulator.requests.map((r) => [r.status, r.signed, r.query.limit])).toEqual([
      [200, true, '1'],
      [401, false, '1'],
    ]);
    expect(emulator.requests[0]?.path).toBe(`/${LIST.join('/')}`);
    expect(emulator.requests[0]?.at).toBe(NOW.toISOString());
  });

  it('answers an unknown API or another method with 404 APIGW.0101 before checking the signature', async () => {
    const unknown = await rawRequest(`${emulator.url}/v3/${SEED_IDS.mainProject}/things`, {});
    expect(unknown.status).toBe(404);
    expect(asError(unknown.json).error_code).toBe('APIGW.0101');
    const post = await rawRequest(`${emulator.url}/${LIST.join('/')}`, {}, 'POST', '{}');
    expect(post.status).toBe(404);
    expect(asError(post.json)).toMatchObject({ error_code: 'APIGW.0101', error_msg: 'The API does not exist.' });
  });
});

describe('temporary credentials (X-Security-Token)', () => {
  const temporary = {
    accessKeyId: 'EMULATORTEMPAK000000',
    secretAccessKey: 'temp-secret',
    securityToken: 'session-token-1',
  };
  let temp: Emulator;
  beforeAll(async () => {
    temp = await startEmulator({ now: fixedNow, credentials: [EMULATOR_CREDENTIALS, temporary] });
  });
  afterAll(() => temp.close());

  it('accepts the token when it is sent and signed', async () => {
    expect((await signedGet(temp, LIST, {}, { credentials: temporary })).status).toBe(200);
  });

  it('refuses a wrong token, a missing token, and a token sent with permanent credentials', async () => {
    expectAuthFailure(
      await signedGet(temp, LIST, {}, { credentials: { ...temporary, securityToken: 'other' } }),
      AUTH_FAILURES.securityTokenInvalid,
    );
    expectAuthFailure(
      await signedGet(
        temp,
        LIST,
        {},
        { credentials: { accessKeyId: temporary.accessKeyId, secretAccessKey: temporary.secretAccessKey } },
      ),
      AUTH_FAILURES.securityTokenInvalid,
    );
    expectAuthFailure(
      await signedGet(temp, LIST, {}, { credentials: { ...EMULATOR_CREDENTIALS, securityToken: 'x' } }),
      AUTH_FAILURES.securityTokenInvalid,
    );
  });
});
