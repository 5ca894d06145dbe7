import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHttpHandler, listRoute, showRoute } from '../../lib/tasks';
import type { HttpResponse } from '../../lib/http';
import { buildLocalConfig } from '../../dev/localConfig';
import { EMULATOR_CREDENTIALS, startEmulator, SEED_IDS, type Emulator } from '../../dev/emulator';
import { FAST_CLIENT } from '../support/functions';
import { LIST_PATH, TOKEN_A, TOKEN_B, v1Event, v2Event } from '../support/events';

/**
 * Failure paths with the real console captured: the AK, SK, security token, bearer tokens and the
 * Authorization values sent never appear in a log line or a response (body or headers).
 */
const SECURITY_TOKEN = 'sts-token-SECRET-0123456789abcdef';
const WRONG_TOKEN = 'wrong-token-SECRET-9876543210';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ credentials: [{ ...EMULATOR_CREDENTIALS, securityToken: SECURITY_TOKEN }] });
});
afterAll(async () => {
  await emulator.close();
});
afterEach(() => {
  emulator.clearFaults();
  vi.restoreAllMocks();
});

function captureConsole(): string[] {
  const lines: string[] = [];
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === 'string' ? a : (JSON.stringify(a) ?? String(a)))).join(' '));
    });
  }
  return lines;
}

function envFor(config: Record<string, unknown>, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DMS_TASKS_CONFIG: JSON.stringify(config),
    CLOUD_SDK_AK: EMULATOR_CREDENTIALS.accessKeyId,
    CLOUD_SDK_SK: EMULATOR_CREDENTIALS.secretAccessKey,
    CLOUD_SDK_SECURITY_TOKEN: SECURITY_TOKEN,
    API_TOKENS: `${TOKEN_A},${TOKEN_B}`,
    ...overrides,
  };
}

const SECRETS = [
  EMULATOR_CREDENTIALS.accessKeyId,
  EMULATOR_CREDENTIALS.secretAccessKey,
  SECURITY_TOKEN,
  TOKEN_A,
  TOKEN_B,
  WRONG_TOKEN,
];

function expectClean(texts: readonly string[]): void {
  const all = texts.join('\n');
  for (const s of SECRETS) expect(all, `leaked ${s.slice(0, 6)}...`).not.toContain(s);
  expect(all).not.toMatch(/SDK-HMAC-SHA256|Signature=|X-Security-Token|\n\s+at /i);
  // Clean by construction: the last-resort redactor had nothing to do.
  expect(all).not.toContain('[REDACTED]');
}

const flatten = (r: HttpResponse): string => `${r.body}\n${JSON.stringify(r.headers)}`;

describe('secrets never reach logs or responses', () => {
  it('on every failure path', async () => {
    const lines = captureConsole();
    const config = buildLocalConfig({ endpoint: emulator.url, timeoutMs: 150 });
    const list = createHttpHandler(listRoute, { env: envFor(config), client: FAST_CLIENT });
    const show = createHttpHandler(showRoute, { env: envFor(config), client: FAST_CLIENT });
    const good = { authorization: `Bearer ${TOKEN_B}` };
    const responses: HttpResponse[] = [];
    const t = SEED_IDS.recentFailures[0];

    responses.push(await list(v2Event({ path: LIST_PATH, headers: good })));
    expect(responses[0]?.statusCode).toBe(200); // the security token is signed and accepted
    responses.push(await list(v2Event({ path: LIST_PATH })));
    responses.push(await list(v2Event({ path: LIST_PATH, headers: { authorization: `Bearer ${WRONG_TOKEN}` } })));
    responses.push(await list(v1Event({ path: LIST_PATH, headers: { Authorization: `Basic ${WRONG_TOKEN}` } })));
    responses.push(await list(v2Event({ path: LIST_PATH, query: 'limit=999', headers: good })));
    responses.push(await show(v2Event({ path: `${LIST_PATH}/nope`, headers: good })));
    for (const fault of [
      { kind: 'status', status: 500 },
      { kind: 'status', status: 429 },
      { kind: 'reset' },
      { kind: 'malformed' },
      { kind: 'latency', ms: 400 },
    ] as const) {
      emulator.injectFault(fault);
      responses.push(
        await show(v2Event({ path: `/v2/${t.projectId}/instances/${t.instanceId}/tasks/${t.taskId}`, headers: good })),
      );
      emulator.clearFaults();
    }
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses).toEqual([200, 401, 401, 401, 400, 404, 502, 429, 502, 502, 504]);

    // Upstream refuses our credentials (its 401 message names the AK): 502, and nothing leaks.
    const badSk = createHttpHandler(listRoute, {
      env: envFor(config, { CLOUD_SDK_SK: 'wrong-sk-SECRET-000000000000' }),
      client: FAST_CLIENT,
    });
    const refused = await badSk(v2Event({ path: LIST_PATH, headers: good }));
    expect(refused.statusCode).toBe(502);
    responses.push(refused);

    expectClean([...lines, ...responses.map(flatten)]);
    expect(lines.join('\n')).not.toContain('wrong-sk-SECRET');
    expect(lines.length).toBe(responses.length); // one line per request
  });

  it('configuration and secret-resolution failures', async () => {
    const lines = captureConsole();
    const config = buildLocalConfig({ endpoint: emulator.url });
    const responses: HttpResponse[] = [];
    // Secrets by SSM reference: a failing read is a generic 500, and is retried on the next request.
    let fail = true;
    const ssm = async (name: string): Promise<string> => {
      if (fail) throw Object.assign(new Error(`AccessDenied reading ${name}`), { name: 'AccessDeniedException' });
      return name === '/dtf/tokens' ? TOKEN_A : EMULATOR_CREDENTIALS.secretAccessKey;
    };
    const ssmConfig = {
      ...config,
      credentials: { ak: { env: 'CLOUD_SDK_AK' }, sk: { ssm: '/dtf/sk' } },
      http: { tokens: [{ ssm: '/dtf/tokens' }] },
    };
    const h = createHttpHandler(listRoute, { env: envFor(ssmConfig, { CLOUD_SDK_SK: '' }), ssm, client: FAST_CLIENT });
    const first = await h(v2Event({ path: LIST_PATH, headers: { authorization: `Bearer ${TOKEN_A}` } }));
    expect(first.statusCode).toBe(500);
    fail = false;
    const second = await h(v2Event({ path: LIST_PATH, headers: { authorization: `Bearer ${TOKEN_A}` } }));
    expect(second.statusCode).toBe(200);
    responses.push(first, second);
    // Missing SK, malformed config document
    for (const env of [
      envFor(config, { CLOUD_SDK_SK: '' }),
      envFor(config, { DMS_TASKS_CONFIG: `{"projects": ${JSON.stringify(TOKEN_A)}` }),
    ]) {
      responses.push(
        await createHttpHandler(listRoute, { env })(
          v2Event({ path: LIST_PATH, headers: { authorization: `Bearer ${TOKEN_A}` } }),
        ),
      );
    }
    expect(responses.map((r) => r.statusCode)).toEqual([500, 200, 500, 500]);
    for (const r of responses.filter((x) => x.statusCode === 500))
      expect(JSON.parse(r.body).error_msg).toBe('internal error; see the function log with this request_id');
    expectClean([...lines, ...responses.map(flatten)]);
    expect(lines.join('\n')).toMatch(/cannot resolve secret ssm:\/dtf\/sk|cannot resolve secret ssm:\/dtf\/tokens/);
  });
});
