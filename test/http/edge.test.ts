import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS, SEED_IDS, startEmulator, type Emulator } from '../../dev/emulator';
import { HEADERS, type HttpResponse } from '../../lib/http';
import { expectMatchesOpenApi, handlersFor, type Handlers } from '../support/http';
import { auth, json, LIST_PATH, TOKEN_A, TOKEN_B, v2Event } from '../support/events';

/**
 * Found by black-box tests of the edge: what an answer may not confirm (a guessed secret), what it
 * must bound (Retry-After, upstream text), and what it must always be (a string request id).
 */

let emulator: Emulator;
let h: Handlers;
beforeAll(async () => {
  emulator = await startEmulator();
  // TOKEN_B is a second accepted token: another caller's secret, which TOKEN_A's holder may try to guess.
  h = handlersFor(emulator, {}, { tokens: [TOKEN_A, TOKEN_B] });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.clearFaults();
  emulator.resetRequests();
});

const AK = EMULATOR_CREDENTIALS.accessKeyId;
/** A wrong guess of the same shape as the AK. */
const WRONG_AK = `${AK.slice(0, -1)}9`;
const t = SEED_IDS.recentFailures[0];

/** The answer without what differs between any two requests (our request id). */
function comparable(r: HttpResponse): { status: number; headers: Record<string, string>; body: unknown } {
  const { [HEADERS.requestId]: _ours, [HEADERS.upstreamRequestId]: _theirs, ...headers } = r.headers;
  const { request_id: _id, ...body } = json(r);
  return { status: r.statusCode, headers, body };
}

describe('no answer confirms a guessed secret', () => {
  it.each([
    ['the AK', AK, WRONG_AK],
    ['the SK', EMULATOR_CREDENTIALS.secretAccessKey, `${EMULATOR_CREDENTIALS.secretAccessKey}x`],
    ['another caller’s token', TOKEN_B, `${TOKEN_B.slice(0, -1)}x`],
  ])('an unknown query parameter named like %s: the same answer as a wrong guess', async (_n, right, wrong) => {
    const [a, b] = await Promise.all(
      [right, wrong].map((name) => h.list(v2Event({ path: LIST_PATH, query: `${name}=1`, headers: auth() }))),
    );
    expect(a?.statusCode).toBe(400);
    expect(comparable(a as HttpResponse)).toEqual(comparable(b as HttpResponse));
    expect(a?.body).not.toContain('REDACTED');
    expect(json(a as HttpResponse).error_msg).toMatch(/^query parameter #1: unknown query parameter/);
  });

  it('an unknown parameter’s value is never echoed either', async () => {
    const [a, b] = await Promise.all(
      [AK, WRONG_AK].map((v) => h.list(v2Event({ path: LIST_PATH, query: `x=${v}`, headers: auth() }))),
    );
    expect(comparable(a as HttpResponse)).toEqual(comparable(b as HttpResponse));
    expect(a?.body).not.toContain(AK);
  });

  it('a method named like a secret: the same 405 as any other method, the method not echoed', async () => {
    const answers = await Promise.all(
      [TOKEN_B, `${TOKEN_B.slice(0, -1)}x`, 'DELETE'].map((method) =>
        h.list(v2Event({ path: LIST_PATH, method, headers: auth() })),
      ),
    );
    for (const r of answers) {
      expect(r.statusCode).toBe(405);
      expectMatchesOpenApi('list', r);
      expect(r.headers.Allow).toBe('GET');
      expect(comparable(r)).toEqual(comparable(answers[2] as HttpResponse));
    }
    expect(emulator.requests).toHaveLength(0);
  });

  it('a task id equal to the AK: upstream’s echo of it is not passed on, as for a wrong guess', async () => {
    const path = (taskId: string): string => `/v2/${t.projectId}/instances/${t.instanceId}/tasks/${taskId}`;
    const [a, b] = await Promise.all([AK, WRONG_AK].map((id) => h.show(v2Event({ path: path(id), headers: auth() }))));
    expect(a?.statusCode).toBe(404);
    expect(json(a as HttpResponse)).toMatchObject({ error_code: 'DMS.00404040', error_msg: 'not found upstream' });
    expect(comparable(a as HttpResponse)).toEqual(comparable(b as HttpResponse));
    // The emulator's message does echo the task id: it reaches a caller when the id is short.
    const short = await h.show(v2Event({ path: path('abc'), headers: auth() }));
    expect(json(short).error_msg).toBe('The background task does not exist: abc.');
  });

  it('response headers are redacted too', async () => {
    // A request id is the one header value not built from validated input: here, one holding the AK.
    const r = await h.list(v2Event({ path: LIST_PATH, query: 'limit=1', headers: auth() }), { awsRequestId: AK });
    expect(r.statusCode).toBe(200);
    expect(JSON.stringify(r.headers)).not.toContain(AK);
    expect(r.headers[HEADERS.requestId]).toBe('[REDACTED]');
  });
});

describe('what reaches a caller from upstream is bounded', () => {
  it('an HTML error_msg arrives as plain text of at most 200 characters', async () => {
    const html = `<div class="err"><h1>Bad</h1>\u0007<script>x()</script> request ${'very '.repeat(80)}</div>`;
    emulator.injectFault({ kind: 'status', status: 400, body: { error_code: 'DMS.00400001', error_msg: html } });
    const r = await h.list(v2Event({ path: LIST_PATH, headers: auth() }));
    expect(r.statusCode).toBe(400);
    expectMatchesOpenApi('list', r);
    const msg = String(json(r).error_msg);
    expect(msg).toMatch(/^Bad x\(\) request very very/);
    expect(msg).not.toMatch(/[<>\p{Cc}]/u);
    expect([...msg]).toHaveLength(200);
    expect(msg.endsWith('...')).toBe(true);
  });
});

describe('a request id is always a string', () => {
  it.each([42, { id: 'x' }, ['a'], null, '', 'bad id with spaces'])(
    'a context whose awsRequestId is %j: a string in the header and the body',
    async (awsRequestId) => {
      const context = { awsRequestId } as unknown as { awsRequestId: string };
      for (const query of ['limit=1', 'limit=0']) {
        const r = await h.list(v2Event({ path: LIST_PATH, query, headers: auth() }), context);
        const id = r.headers[HEADERS.requestId];
        expect(typeof id).toBe('string');
        // Without a usable Lambda id, the gateway's (v2Event's requestContext.requestId).
        expect(id).toBe('gw-v2-req');
        if (r.statusCode === 400) expect(json(r).request_id).toBe(id);
      }
    },
  );

  it('an event whose requestContext.requestId is not a string: a fresh UUID, as a string', async () => {
    const event = v2Event({ path: LIST_PATH, query: 'limit=0', headers: auth() });
    (event.requestContext as Record<string, unknown>).requestId = 12345;
    const r = await h.list(event);
    expect(r.headers[HEADERS.requestId]).toMatch(/^[0-9a-f-]{36}$/);
    expect(json(r).request_id).toBe(r.headers[HEADERS.requestId]);
  });
});
