import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InvocationContext, NotifyHandlerOptions } from '../../lib/notify/createNotifyHandler';
import type { RunSummary } from '../../lib/notify/runNotifier';
import { FileStore } from '../../lib/state/fileStore';
import type { StateStore } from '../../lib/state/types';
import {
  EMULATOR_CREDENTIALS,
  startEmulator,
  type Emulator,
  type EmulatorOptions,
  type Engine,
} from '../../dev/emulator';
import { startSink, type Sink, type SinkType } from '../../dev/sink';
import { functionsFor, type Functions } from '../support/functions';

export const HOUR = 3600_000;
export const MIN = 60_000;

/** Fresh Standard Webhooks secret. */
export function whsec(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export interface DestSpec {
  /** A sink type, or `smn` (a topic on the emulator, which checks the signature of each publish). */
  readonly type: SinkType | 'smn';
  readonly name: string;
  readonly options?: Record<string, unknown>;
}

export interface Harness {
  readonly emulator: Emulator;
  readonly sink: Sink;
  readonly projectId: string;
  readonly clock: { t: number };
  readonly sleeps: number[];
  readonly logs: Record<string, unknown>[];
  /** Secret values handed to the notifier (for leak checks). */
  readonly secretValues: string[];
  readonly env: Record<string, string>;
  readonly store: StateStore;
  addInstance(name: string, engine?: Engine, routes?: readonly string[]): string;
  fail(instanceId: string, partial?: Record<string, string>): string;
  /** Builds a handler (a fresh cold start) and runs it once. */
  run(options?: {
    context?: InvocationContext;
    event?: unknown;
    handler?: Partial<NotifyHandlerOptions>;
  }): Promise<RunSummary>;
  handler(extra?: Partial<NotifyHandlerOptions>): (event: unknown, context?: InvocationContext) => Promise<RunSummary>;
  /** The configuration document the handlers are built with (for the `ops` function's tests). */
  configDoc(): Record<string, unknown>;
  /**
   * The four functions over this harness's environment, store and clock (`functionsFor`), with
   * top-level settings of the document and variables replaced.
   */
  functions(o?: { doc?: Record<string, unknown>; env?: Record<string, string> }): Functions;
  advance(ms: number): void;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly destinations: readonly DestSpec[];
  /** Extra `notify` settings (routes, filter, baseline, ...). */
  readonly notify?: Record<string, unknown>;
  /** Instances as configured: filled by `addInstance`. */
  readonly discover?: boolean;
  readonly store?: (now: () => number) => StateStore;
  /**
   * Emulator options over the harness's own (e.g. a rate limit on a real clock: the harness's fake
   * clock never refills one). @default none
   */
  readonly emulator?: Partial<EmulatorOptions>;
}

/**
 * An emulator (empty, on a fake clock), a sink on loopback with one route per destination, and a
 * configuration wired to both. `run()` is one scheduled invocation; `advance()` moves the clock.
 */
export async function createHarness(options: HarnessOptions): Promise<Harness> {
  const clock = { t: Date.UTC(2026, 10, 20, 12, 0, 0) };
  const now = (): number => clock.t;
  const emulator = await startEmulator({
    seed: false,
    now: () => new Date(clock.t),
    maxClockSkewMs: 10 * 365 * 24 * HOUR,
    ...options.emulator,
  });
  const sink = await startSink();
  const projectId = randomBytes(16).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'notify-'));
  const store = options.store?.(now) ?? new FileStore(join(dir, 'state.json'), { now });
  const env: Record<string, string> = {
    CLOUD_SDK_AK: EMULATOR_CREDENTIALS.accessKeyId,
    CLOUD_SDK_SK: EMULATOR_CREDENTIALS.secretAccessKey,
  };
  const secretValues: string[] = [EMULATOR_CREDENTIALS.secretAccessKey];
  const destinations: Record<string, unknown> = {};
  for (const d of options.destinations) {
    if (d.type === 'smn') {
      const topicUrn = emulator.addSmnTopic(projectId, d.name);
      destinations[d.name] = { type: 'smn', topicUrn, endpoint: emulator.url, ...d.options };
      continue;
    }
    if (d.type === 'pagerduty') {
      const keyVar = `PD_${d.name.toUpperCase().replace(/\W/g, '_')}_KEY`;
      const key = randomBytes(16).toString('hex');
      env[keyVar] = key;
      secretValues.push(key);
      sink.setSecret(d.name, key);
      destinations[d.name] = {
        type: 'pagerduty',
        endpoint: sink.urlFor('pagerduty', d.name),
        routingKey: { env: keyVar },
        ...d.options,
      };
      continue;
    }
    const urlVar = `HOOK_${d.name.toUpperCase().replace(/\W/g, '_')}_URL`;
    // A secret-looking path segment, so a leak would be visible.
    const token = `tok${randomBytes(8).toString('hex')}`;
    env[urlVar] = `${sink.urlFor(d.type, d.name)}?access_token=${token}`;
    secretValues.push(token);
    const dest: Record<string, unknown> = { type: d.type, url: { env: urlVar }, ...d.options };
    if (d.type === 'webhook') {
      const secrets = [whsec(), whsec()];
      secrets.forEach((s, i) => {
        env[`${urlVar}_S${i}`] = s;
      });
      dest.secrets = secrets.map((_, i) => ({ env: `${urlVar}_S${i}` }));
      sink.setSecret(d.name, secrets[1] as string); // the receiver knows only the newer key: rotation
      secretValues.push(...secrets.map((s) => s.slice(6)));
    }
    if (d.type === 'feishu' || d.type === 'dingtalk') {
      const secret = `SEC${randomBytes(16).toString('hex')}`;
      env[`${urlVar}_S`] = secret;
      dest.secret = { env: `${urlVar}_S` };
      sink.setSecret(d.name, secret);
      secretValues.push(secret);
    }
    destinations[d.name] = dest;
  }
  const instances: { id: string; engine: Engine; name: string; routes: readonly string[] }[] = [];
  const sleeps: number[] = [];
  const logs: Record<string, unknown>[] = [];
  const config = (): Record<string, unknown> => ({
    endpoint: emulator.url,
    timeoutMs: 5000,
    projects: {
      [projectId]: {
        region: 'cn-north-4',
        instances: instances.map((i) => ({ id: i.id, engine: i.engine, name: i.name, routes: i.routes })),
        ...(options.discover ? { discover: true } : {}),
      },
    },
    http: { authRequired: false },
    notify: { destinations, allowInsecureWebhooks: true, ...options.notify },
  });
  const functions = (o: { doc?: Record<string, unknown>; env?: Record<string, string> } = {}): Functions =>
    functionsFor({
      env: { ...env, DMS_TASKS_CONFIG: JSON.stringify({ ...config(), ...o.doc }), ...o.env },
      store,
      now,
      notify: {
        sleep: async (ms) => {
          sleeps.push(ms);
          clock.t += ms;
        },
        random: () => 0.5,
        log: (e) => logs.push(e),
        defaultRemainingMs: 100_000,
      },
    });
  const handler = (extra: Partial<NotifyHandlerOptions> = {}) => functions().notify(extra);
  return {
    emulator,
    sink,
    projectId,
    clock,
    sleeps,
    logs,
    secretValues,
    env,
    store,
    addInstance(name, engine = 'kafka', routes = []) {
      const inst = emulator.addInstance(projectId, { name, engine });
      instances.push({ id: inst.instance_id, engine, name, routes });
      return inst.instance_id;
    },
    fail(instanceId, partial = {}) {
      return emulator.addTask(projectId, instanceId, { name: 'restartInstance', status: 'FAILED', ...partial }).id;
    },
    async run(o = {}) {
      return handler(o.handler)(
        o.event ?? { source: 'aws.events', 'detail-type': 'Scheduled Event', time: new Date(clock.t).toISOString() },
        o.context,
      );
    },
    handler,
    functions,
    configDoc: config,
    advance(ms) {
      clock.t += ms;
    },
    async close() {
      await Promise.all([emulator.close(), sink.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A store that forwards every call to `s`: spread it and replace the methods a test makes fail or watches. */
export function bindStore(s: StateStore): StateStore {
  return {
    get: (k) => s.get(k),
    getMany: (k) => s.getMany(k),
    put: (k, v, o) => s.put(k, v, o),
    create: (k, v, o) => s.create(k, v, o),
    update: (k, ver, v, o) => s.update(k, ver, v, o),
    listDue: (n, l) => s.listDue(n, l),
    scan: (p, l, c) => s.scan(p, l, c),
  };
}
