import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DmsClient, DmsResponseError } from '../../lib/dms';
import { EMULATOR_CREDENTIALS, SEED_IDS, startEmulator, type Emulator, type RecordedRequest } from '../../dev/emulator';
import { asTaskPage, control, signedGet, tasksPath } from './helpers';

const MiB = 1024 * 1024;
/** The client's documented default cap (`maxResponseBytes`). */
const CAP = 4 * MiB;
const LIST = tasksPath(SEED_IDS.mainProject, SEED_IDS.kafkaPaged);

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
afterEach(() => {
  emulator.clearFaults();
  emulator.resetRequests();
});

/** The client with its defaults (4 MiB cap), retries without waiting. */
const client = (): DmsClient =>
  new DmsClient({
    projectId: SEED_IDS.mainProject,
    endpoint: emulator.url,
    credentials: EMULATOR_CREDENTIALS,
    sleep: async () => {},
  });

/** The first request a malformed fault answered, once the emulator has finished (or given up) sending it. */
async function malformedRecord(): Promise<RecordedRequest> {
  for (let i = 0; i < 200; i++) {
    const found = emulator.requests.find((r) => r.fault === 'malformed');
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the emulator recorded no malformed answer');
}

async function refusal(p: Promise<unknown>): Promise<DmsResponseError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DmsResponseError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('a huge body streamed without Content-Length (fault malformed, hugeBytes, chunked)', () => {
  it('streams exactly hugeBytes of valid JSON, chunked, with no Content-Length', async () => {
    const size = 3 * MiB + 7;
    emulator.injectFault({ kind: 'malformed', hugeBytes: size, chunked: true, count: 1 });
    const res = await signedGet(emulator, LIST, {}, { date: new Date() });
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(Buffer.byteLength(res.text)).toBe(size);
    expect(asTaskPage(res.json)).toEqual({ task_count: '0', tasks: [] });
    expect((await malformedRecord()).bodyBytesSent).toBe(size);
  });

  it('is available through the control surface, and chunked must be a boolean', async () => {
    const ok = await control(emulator, 'POST', '/faults', { kind: 'malformed', hugeBytes: 1000, chunked: true });
    expect(ok.status).toBe(201);
    const res = await signedGet(emulator, LIST, {}, { date: new Date() });
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.text).toHaveLength(1000);
    const bad = await control(emulator, 'POST', '/faults', { kind: 'malformed', hugeBytes: 1000, chunked: 'yes' });
    expect(bad.status).toBe(400);
  });

  it('a short malformed body can be chunked too', async () => {
    emulator.injectFault({ kind: 'malformed', body: '{"tasks":', chunked: true, count: 1 });
    const res = await signedGet(emulator, LIST, {}, { date: new Date() });
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.text).toBe('{"tasks":');
  });
});

describe('our client against it: refused at its 4 MiB cap while reading', () => {
  it('accepts a chunked body of exactly the cap', async () => {
    emulator.injectFault({ kind: 'malformed', hugeBytes: CAP, chunked: true });
    const page = await client().listTasks({ instanceId: SEED_IDS.kafkaPaged });
    expect(page).toMatchObject({ status: 200, attempts: 1, body: { task_count: '0', tasks: [] } });
    expect((await malformedRecord()).bodyBytesSent).toBe(CAP);
  });

  it('refuses a chunked body one byte over the cap as too-large', async () => {
    emulator.injectFault({ kind: 'malformed', hugeBytes: CAP + 1, chunked: true });
    const e = await refusal(client().listTasks({ instanceId: SEED_IDS.kafkaPaged }));
    expect(e.reason).toBe('too-large');
  });

  it('refuses a 256 MiB chunked body and hangs up long before the end of it', async () => {
    const size = 256 * MiB;
    emulator.injectFault({ kind: 'malformed', hugeBytes: size, chunked: true });
    const e = await refusal(client().listTasks({ instanceId: SEED_IDS.kafkaPaged }));
    expect(e.reason).toBe('too-large');
    const sent = (await malformedRecord()).bodyBytesSent ?? size;
    // What the emulator wrote before the client hung up: the cap plus socket buffers, not the body.
    expect(sent).toBeLessThan(32 * MiB);
  });

  it('refuses the same body with a Content-Length before reading it', async () => {
    const size = 256 * MiB;
    emulator.injectFault({ kind: 'malformed', hugeBytes: size });
    const e = await refusal(client().listTasks({ instanceId: SEED_IDS.kafkaPaged }));
    expect(e.reason).toBe('too-large');
    expect((await malformedRecord()).bodyBytesSent ?? size).toBeLessThan(32 * MiB);
  });
});
