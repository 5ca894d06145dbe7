/**
 * The child process of the HTTPS benchmark (`tlsRows.ts`), started with `NODE_EXTRA_CA_CERTS` set to
 * the benchmark's self-signed certificate, so every client verifies the server as it would in
 * production. Reads one JSON job from argv[2] and prints one JSON line of results:
 *
 * - `calls`: `calls` back-to-back list calls of one client (the parent counts the TLS handshakes);
 * - `warm`: our client, the SDK's and a bare keep-alive `https.request`, interleaved call by call;
 * - `walk`: the `list` bundle's handler answering `all=true` (every page of the instance), twice;
 * - `interactive`: the `list` bundle's handler at its shipped settings (the request budget included)
 *   answering back-to-back one-page requests, interleaved with a bare keep-alive request; then
 *   `all=true` walks interleaved with as many sequential bare requests as the walk has pages.
 */
import { Agent, request } from 'node:https';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { median } from './stats';
import { measureWarmCalls, type WarmTarget } from './warmCall';
import { BENCH_CONTEXT, listHandlerEvent } from './listEvent';

/** What the parent hands over: where the bundles are and the signed request of the bare floor. */
export interface TlsJob {
  readonly mode: 'calls' | 'warm' | 'walk' | 'interactive';
  /** For `calls`: which client. */
  readonly client?: TlsClientName;
  readonly calls: number;
  readonly endpoint: string;
  readonly ourBundle: string;
  readonly sdkBundle: string;
  readonly listBundle: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly projectId: string;
  readonly instanceId: string;
  readonly page: number;
  /** For `interactive`: the pages of one `all=true` walk (the bare side sends as many requests). */
  readonly walkPages?: number;
  /** The bare floor's URL and signed headers (signed once by the parent: the floor does not sign). */
  readonly bareUrl: string;
  readonly bareHeaders: Readonly<Record<string, string>>;
}

export type TlsClientName = 'ours' | 'sdk' | 'bare';

interface ListFixture {
  createClient(endpoint: string, ak: string, sk: string, projectId: string): unknown;
  listOnce(client: unknown, instanceId: string, limit: number): Promise<number>;
}

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

/** One list call per client, each client loaded only when asked for. */
function clientCall(job: TlsJob, name: TlsClientName): () => Promise<void> {
  const fixture = (path: string): (() => Promise<void>) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require(path) as ListFixture;
    const client = m.createClient(job.endpoint, job.accessKeyId, job.secretAccessKey, job.projectId);
    return async () => {
      const n = await m.listOnce(client, job.instanceId, job.page);
      if (n !== job.page) throw new Error(`expected ${job.page} tasks, got ${n}`);
    };
  };
  if (name === 'ours') return fixture(job.ourBundle);
  if (name === 'sdk') return fixture(job.sdkBundle);
  const agent = new Agent({ keepAlive: true });
  return (): Promise<void> =>
    new Promise((resolve, reject) => {
      request(job.bareUrl, { headers: job.bareHeaders, agent }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`bare: ${res.statusCode}`))));
      })
        .on('error', reject)
        .end();
    });
}

/** What `interactive` prints: medians of interleaved samples, ms. */
export interface InteractiveResult {
  readonly handlerP50Ms: number;
  readonly bareP50Ms: number;
  readonly walkMedianMs: number;
  readonly bareSequenceMedianMs: number;
  readonly walkTasks: number;
}

/** The `list` handler of the bundle, its log line silenced, answering 200 or throwing. */
function listHandler(job: TlsJob): (query: Record<string, string>) => Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require(job.listBundle) as { handler: Handler };
  return async (query) => {
    const log = console.log;
    console.log = () => undefined; // the handler's log line
    try {
      const res = await handler(listHandlerEvent(query), BENCH_CONTEXT);
      if (typeof res !== 'object' || res.statusCode !== 200) throw new Error(`list answered ${JSON.stringify(res)}`);
      return String(res.body);
    } finally {
      console.log = log;
    }
  };
}

/** Consecutive calls of one side before the other side's (more than the budget's burst of 5). */
const BACK_TO_BACK_BLOCK = 20;

/** The handler against the bare request, back-to-back; then `all=true` walks against bare sequences. */
async function interactive(job: TlsJob): Promise<InteractiveResult> {
  const list = listHandler(job);
  const bare = clientCall(job, 'bare');
  const pages = job.walkPages ?? 7;
  const bareSequence = async (): Promise<void> => {
    for (let p = 0; p < pages; p++) await bare();
  };
  const time = async (f: () => Promise<unknown>): Promise<number> => {
    const start = performance.now();
    await f();
    return performance.now() - start;
  };
  for (let i = 0; i < 10; i++) {
    await list({ limit: String(job.page) });
    await bare();
  }
  // Back-to-back: blocks of consecutive calls of one side, the sides alternating block by block (a
  // budget that paces shows within a block, as it does for a caller sending request after request).
  const handlerMs: number[] = [];
  const bareMs: number[] = [];
  const block = Math.min(BACK_TO_BACK_BLOCK, job.calls);
  for (let done = 0; done < job.calls; done += block) {
    for (let i = 0; i < block; i++) handlerMs.push(await time(() => list({ limit: String(job.page) })));
    for (let i = 0; i < block; i++) bareMs.push(await time(bare));
  }
  const walkMs: number[] = [];
  const sequenceMs: number[] = [];
  let walkTasks = 0;
  const walks = Math.max(3, Math.round(job.calls / 10));
  for (let i = 0; i < walks; i++) {
    walkMs.push(
      await time(async () => {
        walkTasks = (JSON.parse(await list({ all: 'true' })) as { tasks: unknown[] }).tasks.length;
      }),
    );
    sequenceMs.push(await time(bareSequence));
  }
  return {
    handlerP50Ms: median(handlerMs),
    bareP50Ms: median(bareMs),
    walkMedianMs: median(walkMs),
    bareSequenceMedianMs: median(sequenceMs),
    walkTasks,
  };
}

async function run(job: TlsJob): Promise<unknown> {
  if (job.mode === 'interactive') return interactive(job);
  if (job.mode === 'walk') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { handler } = require(job.listBundle) as { handler: Handler };
    const log = console.log;
    console.log = () => undefined; // the handler's log line
    const walk = async (): Promise<{ ms: number; tasks: number }> => {
      const start = performance.now();
      const res = await handler(listHandlerEvent({ all: 'true' }), BENCH_CONTEXT);
      const ms = performance.now() - start;
      if (typeof res !== 'object' || res.statusCode !== 200) throw new Error(`all=true answered ${res}`);
      return { ms, tasks: (JSON.parse(String(res.body)) as { tasks: unknown[] }).tasks.length };
    };
    // The first walk of a fresh process, then the same walk again, warm (the parent counts the pages).
    const first = await walk();
    const again = await walk();
    console.log = log;
    return { ms: first.ms, tasks: first.tasks, warmMs: again.ms };
  }
  if (job.mode === 'calls') {
    const call = clientCall(job, job.client ?? 'ours');
    const ms: number[] = [];
    for (let i = 0; i < job.calls; i++) {
      const start = performance.now();
      await call();
      ms.push(performance.now() - start);
    }
    return { ms };
  }
  const targets: WarmTarget[] = (['bare', 'ours', 'sdk'] as const).map((name) => ({
    name,
    call: clientCall(job, name),
  }));
  return measureWarmCalls(targets, job.calls);
}

run(JSON.parse(process.argv[2] ?? '{}') as TlsJob).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);
