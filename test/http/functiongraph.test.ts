import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildLocalConfig } from '../../dev/localConfig';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator } from '../../dev/emulator';
import { createHttpHandler, listRoute, type ContextLike } from '../../lib/tasks';
import type { HttpResponse } from '../../lib/http';
import { HEADERS } from '../../lib/http/constants';
import { FAST_CLIENT } from '../support/functions';
import { LIST_PATH, P, fgEvent, json } from '../support/events';

/**
 * On FunctionGraph: credentials only from the invocation context (read on every invocation, no
 * AK/SK in the environment), bearer tokens from CSMS signed with them, the request id from
 * `getRequestID()`, and secrets re-read after `secretsCacheSeconds`, all against the emulator.
 */
const AGENCY_1 = {
  accessKeyId: 'FGAGENCYAK000000001',
  secretAccessKey: 'fg-agency-sk-SECRET-one-0123',
  token: 'fg-agency-token-SECRET-one-abcdef',
};
const AGENCY_2 = {
  accessKeyId: 'FGAGENCYAK000000002',
  secretAccessKey: 'fg-agency-sk-SECRET-two-4567',
  token: 'fg-agency-token-SECRET-two-ghijkl',
};
const UNKNOWN = {
  accessKeyId: 'FGUNKNOWNAK00000003',
  secretAccessKey: 'fg-unknown-sk-SECRET-89',
  token: 'fg-tok-x-SECRET',
};
const TOKEN_OLD = 'csms-token-old-0123456789abcdef';
const TOKEN_NEW = 'csms-token-new-fedcba9876543210';
const SECRETS = [AGENCY_1, AGENCY_2, UNKNOWN].flatMap((a) => [a.accessKeyId, a.secretAccessKey, a.token]);

type Agency = typeof AGENCY_1;

/** A FunctionGraph context: request id, time left, the agency's credentials. */
function fgContext(agency: Agency | undefined, requestId = 'fg-request-0001'): ContextLike {
  return {
    getRequestID: () => requestId,
    getRemainingTimeInMilliSeconds: () => 30_000,
    ...(agency && {
      getSecurityAccessKey: () => agency.accessKeyId,
      getSecuritySecretKey: () => agency.secretAccessKey,
      getSecurityToken: () => agency.token,
    }),
  };
}

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    credentials: [
      EMULATOR_CREDENTIALS,
      ...[AGENCY_1, AGENCY_2].map((a) => ({
        accessKeyId: a.accessKeyId,
        secretAccessKey: a.secretAccessKey,
        securityToken: a.token,
      })),
    ],
    lockout: false,
  });
});
afterAll(async () => {
  await emulator.close();
});

async function control(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${emulator.url}/__emulator${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
const putSecret = (name: string, value: string): Promise<Response> =>
  control('POST', '/secrets', { projectId: P, name, value });

beforeEach(async () => {
  await control('DELETE', '/secrets');
  emulator.resetRequests();
});

interface Setup {
  readonly list: (context: ContextLike | undefined, token?: string) => Promise<HttpResponse>;
  readonly logs: string[];
  readonly advance: (ms: number) => void;
}

/** The list handler with `credentials.source` "functiongraph", tokens in CSMS, and an injected clock. */
function setup(patch: Record<string, unknown> = {}): Setup {
  const doc: Record<string, unknown> = {
    ...buildLocalConfig({ endpoint: emulator.url, timeoutMs: 2000 }),
    credentials: { source: 'functiongraph' },
    csms: { endpoint: emulator.url },
    secretsCacheSeconds: 60,
    ...patch,
  };
  (doc.http as Record<string, unknown>).tokens = [{ csms: 'dtf-api-tokens' }];
  let now = 1_000_000;
  const logs: string[] = [];
  // No AK/SK anywhere in the environment.
  const env = { DMS_TASKS_CONFIG: JSON.stringify(doc) };
  const handler = createHttpHandler(listRoute, { env, client: FAST_CLIENT, log: (l) => logs.push(l), now: () => now });
  return {
    list: (context, token = TOKEN_OLD) =>
      handler(fgEvent({ path: LIST_PATH, query: 'limit=1', headers: { authorization: `Bearer ${token}` } }), context),
    logs,
    advance: (ms) => {
      now += ms;
    },
  };
}

function expectClean(texts: readonly string[]): void {
  const all = texts.join('\n');
  for (const s of SECRETS) expect(all, `leaked ${s.slice(0, 8)}...`).not.toContain(s);
}

describe('credentials.source "functiongraph"', () => {
  it('signs DMS and CSMS calls with the context credentials and token, read on every invocation', async () => {
    await putSecret('dtf-api-tokens', TOKEN_OLD);
    const s = setup();
    const first = await s.list(fgContext(AGENCY_1));
    expect(first.statusCode).toBe(200);
    // The platform rotated the agency's credentials: the same warm client signs with the new ones.
    const second = await s.list(fgContext(AGENCY_2));
    expect(second.statusCode).toBe(200);
    expect(emulator.requests.map((r) => [r.path.split('/')[1], r.signed])).toEqual([
      ['v1', true],
      ['v2', true],
      ['v2', true],
    ]);
    // Credentials the gateway does not know are refused: the context is really read each time.
    const third = await s.list(fgContext(UNKNOWN));
    expect(third.statusCode).toBeGreaterThanOrEqual(500);
    expect(emulator.requests.at(-1)?.signed).toBe(false);
    expectClean([first, second, third].map((r) => JSON.stringify(r)).concat(s.logs));
  });

  it('answers a generic 500 and logs a clear error, with no secret, when the context has no credentials', async () => {
    await putSecret('dtf-api-tokens', TOKEN_OLD);
    const s = setup();
    const r = await s.list(fgContext(undefined));
    expect(r.statusCode).toBe(500);
    expect(JSON.stringify(json(r))).not.toContain('getSecurity');
    const line = s.logs.at(-1) ?? '';
    expect(line).toContain('MissingContextCredentialsError');
    expect(line).toContain('getSecurityAccessKey()');
    expect(emulator.requests).toEqual([]);
    // A Lambda context has no such methods either.
    const lambda = await s.list({ awsRequestId: 'lambda-req-1', getRemainingTimeInMillis: () => 30_000 });
    expect(lambda.statusCode).toBe(500);
    expect(s.logs.at(-1)).toContain('credentials.source is \\"functiongraph\\"');
  });

  it('takes the request id from getRequestID()', async () => {
    await putSecret('dtf-api-tokens', TOKEN_OLD);
    const s = setup();
    const r = await s.list(fgContext(AGENCY_1, 'fg-req-7f3a'));
    expect(r.headers[HEADERS.requestId]).toBe('fg-req-7f3a');
    expect(JSON.parse(s.logs.at(-1) ?? '{}')).toMatchObject({ requestId: 'fg-req-7f3a', gatewayRequestId: 'fg-req-1' });
    // An id with unsafe characters falls back to the gateway's.
    const odd = await s.list(fgContext(AGENCY_1, 'bad id\n'));
    expect(odd.headers[HEADERS.requestId]).toBe('fg-req-1');
  });
});

describe('bearer tokens in CSMS, kept for secretsCacheSeconds', () => {
  it('accepts a rotated token after the lifetime and not before; the retired one is then refused', async () => {
    await putSecret('dtf-api-tokens', TOKEN_OLD);
    const s = setup();
    const ctx = fgContext(AGENCY_1);
    expect((await s.list(ctx, TOKEN_OLD)).statusCode).toBe(200);
    await putSecret('dtf-api-tokens', TOKEN_NEW);
    s.advance(59_000);
    expect((await s.list(ctx, TOKEN_NEW)).statusCode).toBe(401);
    expect((await s.list(ctx, TOKEN_OLD)).statusCode).toBe(200);
    const csmsReads = (): number => emulator.requests.filter((r) => r.path.startsWith('/v1/')).length;
    expect(csmsReads()).toBe(1);
    s.advance(1_000);
    expect((await s.list(ctx, TOKEN_NEW)).statusCode).toBe(200);
    expect((await s.list(ctx, TOKEN_OLD)).statusCode).toBe(401);
    expect(csmsReads()).toBe(2);
  });

  it('retries a failed CSMS read on the next request, and never logs a value', async () => {
    const s = setup();
    const ctx = fgContext(AGENCY_1);
    const missing = await s.list(ctx);
    expect(missing.statusCode).toBe(500);
    expect(s.logs.at(-1)).toContain('cannot resolve secret csms:dtf-api-tokens: CSMS read failed');
    expect(s.logs.at(-1)).toContain('404 CSMS.0404');
    await putSecret('dtf-api-tokens', TOKEN_OLD);
    // No time passes: the failure was not kept.
    expect((await s.list(ctx)).statusCode).toBe(200);
    expectClean(s.logs);
    expect(s.logs.join('\n')).not.toContain(TOKEN_OLD);
  });

  it('reads the CSMS secrets of the configured project (another project has none of them)', async () => {
    await putSecret('dtf-api-tokens', TOKEN_OLD);
    const other = 'ffffffffffffffffffffffffffffffff';
    const s = setup({ csms: { endpoint: emulator.url, projectId: other, region: 'cn-north-4' } });
    const r = await s.list(fgContext(AGENCY_1));
    expect(r.statusCode).toBe(500);
    expect(emulator.requests[0]?.path).toBe(`/v1/${other}/secrets/dtf-api-tokens/versions/latest`);
  });
});
