import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMULATOR_CREDENTIALS, SEED_IDS, startEmulator } from '../dev/emulator';
import { buildSignedUrl, signRequest } from '../lib/signing';
import { startDelayProxy } from './delayProxy';
import { cleanEnv } from './cleanEnv';
import { median, repeated, round, spreadText, type Repeated } from './stats';
import type { Row } from './table';
import { generateSelfSignedCert, startTlsFront } from './tls';
import type { InteractiveResult, TlsClientName, TlsJob } from './tlsChild';
import type { WarmResult } from './warmCall';
import { listHandlerEnv } from './listEvent';

/**
 * Targets of issue 9, section 4 (against the bare floor on the same TLS path, and one handshake per
 * process) and of issue 22, section 1 (the `list` handler at its shipped settings: back-to-back
 * requests within 5% of a bare request, an `all=true` walk within 10% of as many sequential bare
 * requests as it has pages).
 */
export const TLS_TARGETS = {
  coldOverBare: 1.05,
  warmOverBare: 1.02,
  handshakes: 1,
  handlerOverBare: 1.05,
  walkOverBare: 1.1,
} as const;

const PAGE = 10;
/** Page size of the `all=true` walk: the seeded instance's 64 tasks in 7 pages. */
const WALK_PAGE_SIZE = 10;

export interface TlsOptions {
  /** Simulated round trip, added by the delay proxy. */
  readonly rttMs: number;
  /** Cold rounds (one fresh process per target per round). */
  readonly runs: number;
  /** Warm calls per client, interleaved, after 20 warm-up calls each. */
  readonly calls: number;
  /** Back-to-back calls of one client in a fresh process, over which its TLS handshakes are counted. */
  readonly handshakeCalls: number;
  /** Repetitions of each timed figure (a fresh child process each for the warm and interactive rows). */
  readonly reps: number;
  readonly ourBundle: string;
  readonly sdkBundle: string;
  readonly listBundle: string;
}

export interface TlsReport {
  readonly rows: Row[];
  /** Medians, ms, process start to the first list answer. */
  readonly cold: Record<string, number>;
  /** Per round, ours / bare and the SDK / bare (first list answer). */
  readonly coldRatios: { readonly ours: Repeated; readonly sdk: Repeated };
  /** One warm measurement per repetition (a child each). */
  readonly warmReps: WarmResult[][];
  readonly warm: WarmResult[];
  /** The `list` handler at its shipped settings, one child per repetition. */
  readonly interactive: InteractiveResult[];
  readonly handshakes: Record<string, number>;
  /** `all=true` by the `list` handler, twice in one fresh process: `ms` the first walk, `warmMs` the second. */
  readonly walk: {
    readonly ms: number;
    readonly warmMs: number;
    readonly pages: number;
    readonly tasks: number;
    readonly handshakes: number;
  };
}

interface Spawned {
  /** ms from spawn to the first line on stdout. */
  readonly firstLineMs: number;
  readonly stdout: string;
}

/** Spawns `node args` and resolves once it exits, with the time its first stdout line took. */
function spawnNode(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let firstLineMs = 0;
    let stdout = '';
    let stderr = '';
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!firstLineMs && stdout.includes('\n')) firstLineMs = performance.now() - start;
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && firstLineMs) resolve({ firstLineMs, stdout });
      else reject(new Error(`node ${args.slice(0, 2).join(' ')} exited ${code}: ${stderr.slice(0, 800)}`));
    });
  });
}

/**
 * The HTTPS mode of `npm run bench`: the emulator served over TLS (a self-signed certificate made now,
 * trusted through `NODE_EXTRA_CA_CERTS`) behind a proxy adding `rttMs` of round trip, and rows of ours,
 * the official SDK and a bare `https` request on that same path: cold first answer, warm p50, and the
 * TLS handshakes a process makes over many calls and over an `all=true` walk. The parent only serves
 * (emulator, TLS, proxy) while each client runs in its own process.
 */
export async function measureTls(opts: TlsOptions): Promise<TlsReport> {
  const dir = await mkdtemp(join(tmpdir(), 'dtf-bench-tls-'));
  const emu = await startEmulator();
  const cert = generateSelfSignedCert(dir);
  const front = await startTlsFront(emu.port, cert);
  const proxy = await startDelayProxy(front.port, opts.rttMs);
  try {
    const endpoint = `https://127.0.0.1:${proxy.port}`;
    const req = {
      method: 'GET',
      host: `127.0.0.1:${proxy.port}`,
      pathSegments: ['v2', SEED_IDS.mainProject, 'instances', SEED_IDS.kafkaPaged, 'tasks'],
      query: { start: 0, limit: PAGE },
      headers: { 'X-Project-Id': SEED_IDS.mainProject },
    };
    const job = (mode: TlsJob['mode'], calls: number, client?: TlsClientName): TlsJob => ({
      mode,
      calls,
      ...(client ? { client } : {}),
      endpoint,
      ourBundle: opts.ourBundle,
      sdkBundle: opts.sdkBundle,
      listBundle: opts.listBundle,
      ...EMULATOR_CREDENTIALS,
      projectId: SEED_IDS.mainProject,
      instanceId: SEED_IDS.kafkaPaged,
      page: PAGE,
      bareUrl: buildSignedUrl(endpoint, req),
      // Signed now; the emulator accepts a signature for 15 minutes, longer than the benchmark runs.
      bareHeaders: signRequest(req, EMULATOR_CREDENTIALS),
    });
    // A clean environment; the certificate is the bench's own, trusted as production trusts a CA.
    const env = cleanEnv({
      NODE_EXTRA_CA_CERTS: cert.certPath,
      ...listHandlerEnv(endpoint, { pageSize: WALK_PAGE_SIZE }),
    });
    const child = async (j: TlsJob): Promise<{ out: unknown; handshakes: number; connections: number }> => {
      const [h0, c0] = [front.handshakes, proxy.connections];
      const { stdout } = await spawnNode(['--import', 'tsx', join(__dirname, 'tlsChild.ts'), JSON.stringify(j)], env);
      return { out: JSON.parse(stdout), handshakes: front.handshakes - h0, connections: proxy.connections - c0 };
    };

    const { medians: cold, ratios: coldRatios } = await measureColdTls(job('calls', 1), opts.runs, env);
    const warmReps: WarmResult[][] = [];
    for (let r = 0; r < opts.reps; r++) warmReps.push((await child(job('warm', opts.calls))).out as WarmResult[]);
    const warm = warmReps[warmReps.length - 1] ?? [];
    const handshakes: Record<string, number> = {};
    for (const name of ['ours', 'sdk', 'bare'] as const) {
      handshakes[name] = (await child(job('calls', opts.handshakeCalls, name))).handshakes;
    }
    const before = emu.requests.length;
    const walked = await child(job('walk', 1));
    const walkOut = walked.out as { ms: number; warmMs: number; tasks: number };
    // Two walks in the child: the pages of one.
    const walk = { ...walkOut, pages: (emu.requests.length - before) / 2, handshakes: walked.handshakes };
    const interactive: InteractiveResult[] = [];
    for (let r = 0; r < opts.reps; r++) {
      const j = { ...job('interactive', opts.calls), walkPages: walk.pages };
      interactive.push((await child(j)).out as InteractiveResult);
    }
    const rows = tlsRows(opts, { cold, coldRatios, warmReps, handshakes, walk, interactive });
    return { rows, cold, coldRatios, warmReps, warm, interactive, handshakes, walk };
  } finally {
    await proxy.close();
    await front.close();
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Process start to the first list answer, `runs` rounds of fresh `node -e` processes, targets
 * interleaved: bare node (no request), a bare `https.get` of the signed request, our bundle, the SDK's.
 */
async function measureColdTls(
  job: TlsJob,
  runs: number,
  env: NodeJS.ProcessEnv,
): Promise<{ medians: Record<string, number>; ratios: TlsReport['coldRatios'] }> {
  const q = JSON.stringify;
  const done = "process.stdout.write('ok\\n')";
  const listed = (bundle: string): string =>
    `const m=require(${q(bundle)});` +
    `m.listOnce(m.createClient(${q(job.endpoint)},${q(job.accessKeyId)},${q(job.secretAccessKey)},` +
    `${q(job.projectId)}),${q(job.instanceId)},${job.page}).then(n=>{if(n!==${job.page})process.exit(3);${done}})`;
  const scripts: Record<string, string> = {
    node: done,
    bare:
      `require('https').get(${q(job.bareUrl)},{headers:${q(job.bareHeaders)}},r=>{r.resume();` +
      `r.on('end',()=>{if(r.statusCode!==200)process.exit(3);${done}})})`,
    ours: listed(job.ourBundle),
    sdk: listed(job.sdkBundle),
  };
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(scripts).map((name) => [name, []]));
  for (const script of Object.values(scripts)) await spawnNode(['-e', script], env); // warm the file cache
  for (let i = 0; i < runs; i++) {
    for (const [name, script] of Object.entries(scripts)) {
      const s = await spawnNode(['-e', script], env);
      samples[name]?.push(s.firstLineMs);
    }
  }
  const medians = Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, median(s)]));
  // Each round's pair: the machine's drift over the rounds hits both sides of a ratio alike.
  const perRound = (name: string): number[] =>
    (samples[name] ?? []).map((v, i) => v / (samples.bare?.[i] ?? Number.NaN));
  return { medians, ratios: { ours: repeated(perRound('ours')), sdk: repeated(perRound('sdk')) } };
}

/** What the TLS rows are made of. */
interface TlsFigures {
  readonly cold: Record<string, number>;
  readonly coldRatios: TlsReport['coldRatios'];
  readonly warmReps: readonly (readonly WarmResult[])[];
  readonly handshakes: Record<string, number>;
  readonly walk: TlsReport['walk'];
  readonly interactive: readonly InteractiveResult[];
}

function tlsRows(opts: TlsOptions, f: TlsFigures): Row[] {
  const at = `TLS ${opts.rttMs} ms RTT`;
  const nan = Number.NaN;
  const c = (n: string): number => f.cold[n] ?? nan;
  const h = (n: string): number => f.handshakes[n] ?? nan;
  /** A figure per repetition of the warm child: `name`'s p50. */
  const warmOf = (name: string): number[] => f.warmReps.map((w) => w.find((r) => r.name === name)?.p50Ms ?? nan);
  const ratios = (a: readonly number[], b: readonly number[]): Repeated => repeated(a.map((v, i) => v / (b[i] ?? nan)));
  const row = (section: Row['section'], metric: string, ours: number, reference: number, digits: number) => ({
    section,
    metric: `${at}: ${metric}`,
    ours: round(ours, digits),
    reference: round(reference, digits),
    ratio: round(ours / reference, 3),
  });
  /** A row judged on the median over repetitions of a per-repetition ratio. */
  const judged = (
    section: Row['section'],
    metric: string,
    ours: readonly number[],
    reference: readonly number[],
    r: Repeated,
    target: number | undefined,
  ): Row => ({
    ...row(section, metric, median(ours), median(reference), 3),
    ratio: round(r.median, 3),
    spread: spreadText(r),
    target: target === undefined ? '-' : `ratio <= ${target}`,
    met: target === undefined ? undefined : r.median <= target,
  });
  const info = { target: '-', met: undefined };
  const coldSpread = (r: Repeated) => ({ ratio: round(r.median, 3), spread: spreadText(r) });
  const [oursW, sdkW, bareW] = [warmOf('ours'), warmOf('sdk'), warmOf('bare')];
  const i = f.interactive;
  const handler = i.map((x) => x.handlerP50Ms);
  const bare = i.map((x) => x.bareP50Ms);
  const walks = i.map((x) => x.walkMedianMs);
  const sequences = i.map((x) => x.bareSequenceMedianMs);
  return [
    { ...row('cold', 'floor, bare node start (ms)', c('node'), c('node'), 1), ...info },
    {
      ...row('cold', 'first list answer, ours vs bare https.get (ms)', c('ours'), c('bare'), 1),
      ...coldSpread(f.coldRatios.ours),
      target: `ratio <= ${TLS_TARGETS.coldOverBare}`,
      met: f.coldRatios.ours.median <= TLS_TARGETS.coldOverBare,
    },
    {
      ...row('cold', 'first list answer, SDK vs bare https.get (ms)', c('sdk'), c('bare'), 1),
      ...coldSpread(f.coldRatios.sdk),
      ...info,
    },
    judged(
      'warm',
      'list p50, ours vs bare keep-alive https.request (ms)',
      oursW,
      bareW,
      ratios(oursW, bareW),
      TLS_TARGETS.warmOverBare,
    ),
    judged('warm', 'list p50, SDK vs bare keep-alive https.request (ms)', sdkW, bareW, ratios(sdkW, bareW), undefined),
    {
      ...row('warm', `TLS handshakes over ${opts.handshakeCalls} calls, ours vs SDK`, h('ours'), h('sdk'), 0),
      target: `== ${TLS_TARGETS.handshakes}`,
      met: h('ours') === TLS_TARGETS.handshakes,
    },
    {
      ...row('warm', `TLS handshakes over ${opts.handshakeCalls} calls, bare keep-alive`, h('bare'), 1, 0),
      ...info,
    },
    {
      ...row(
        'warm',
        `TLS handshakes, 2 all=true walks of ${f.walk.pages} pages (list handler)`,
        f.walk.handshakes,
        1,
        0,
      ),
      target: `== ${TLS_TARGETS.handshakes}`,
      met: f.walk.handshakes === TLS_TARGETS.handshakes,
    },
    {
      // The first walk of a fresh process (it connects, the handler resolves its secrets) against the second.
      ...row(
        'warm',
        `all=true walk of ${f.walk.pages} pages, first vs second in a process (ms)`,
        f.walk.ms,
        f.walk.warmMs,
        1,
      ),
      ...info,
    },
    judged(
      'interactive',
      'list handler (shipped settings) back-to-back p50 vs bare keep-alive request (ms)',
      handler,
      bare,
      ratios(handler, bare),
      TLS_TARGETS.handlerOverBare,
    ),
    judged(
      'interactive',
      `list handler (shipped settings) all=true walk of ${f.walk.pages} pages ` +
        `vs ${f.walk.pages} sequential bare requests (ms)`,
      walks,
      sequences,
      ratios(walks, sequences),
      TLS_TARGETS.walkOverBare,
    ),
  ];
}
