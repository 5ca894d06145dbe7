import { parseConfig } from '../../config/parseConfig';
import { ConfigError } from '../../config/errors';
import type { AppConfig, ProjectConfig, SecretRef } from '../../config/types';
import { type CheckResult, ok, problem } from '../../core/checkResult';
import type { DmsClient } from '../../dms/client';
import type { OffsetParam } from '../../dms/types';
import { parseNotifyConfig } from '../../notify/config/parseNotifyConfig';
import type { NotifyConfig } from '../../notify/types';
import type { Resolver } from '../../notify/deliver/urlPolicy';
import type { Credentials } from '../../signing/credentials';
import type { StateStore } from '../../state/types';
import { checkClock } from './checkClock';
import { checkDestinations } from './checkDestinations';
import { type PlatformFacts, checkPlatform } from '../../runtime/checkPlatform';
import { checkProject, type SeenInstance } from './checkProject';
import { checkSecrets } from './checkSecrets';
import { checkStore } from '../../state/checkStore';
import { savePagingRecord } from '../../notify/scan/pagingRecord';
import { judgePaging, pagingUnknown, probePaging } from './probePaging';
import { secretRefsOf } from './secretRefs';

/** The state store as the self-check sees it. */
export interface DoctorStore {
  /** How rows name it (`redis 10.0.0.5:6379`, `dynamodb table`, `file .state/notify.json`): never a password. */
  readonly name: string;
  readonly open: () => Promise<StateStore>;
}

/** What one self-check reads, injected by its two callers (the `ops` route and `npm run doctor`). */
export interface DoctorInput {
  /** The configuration document (a `configFrom` pointer already followed). */
  readonly document: unknown;
  /** Where the notifier's settings read `NOTIFY_TABLE`. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  readonly resolveSecret: (ref: SecretRef) => Promise<string>;
  /** A DMS client of the project, sending offsets as `param` (the paging probe tries both names). */
  readonly clientFor: (project: ProjectConfig, param: OffsetParam) => DmsClient;
  /** The credentials of the DMS and SMN calls; undefined where none can be had. */
  readonly credentials: () => Credentials | undefined;
  /** Absent: no `notify` section, or the caller holds no store. */
  readonly store?: DoctorStore;
  readonly platform: PlatformFacts;
  /** @default Date.now */
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
  readonly resolveHost?: Resolver;
}

/** The self-check's answer: rows in a stable order, and the counts by verdict. */
export interface DoctorReport {
  readonly checkedAt: string;
  readonly results: readonly CheckResult[];
  readonly counts: Readonly<Record<CheckResult['verdict'], number>>;
}

function parseAll(
  document: unknown,
  env: NodeJS.ProcessEnv,
): { rows: CheckResult[]; app?: AppConfig; notify?: NotifyConfig } {
  try {
    const app = parseConfig(document);
    const notify = app.notify === undefined ? undefined : parseNotifyConfig(app, env);
    return {
      rows: [
        ok(
          'config.loads',
          'configuration',
          `${app.projects.size} projects${notify ? `, ${notify.destinations.size} destinations` : ''}`,
        ),
      ],
      app,
      ...(notify ? { notify } : {}),
    };
  } catch (err) {
    const evidence =
      err instanceof ConfigError ? `${err.path}: ${err.problem}` : err instanceof Error ? err.message : 'invalid';
    return {
      rows: [
        problem(
          'config.loads',
          'configuration',
          evidence,
          'Fix the setting named (npm run doctor -- --config <file> checks a file before deploying).',
        ),
      ],
    };
  }
}

/** Probes paging on the first instance with two tasks or more; keeps the answer in the store. */
async function pagingRows(
  input: DoctorInput,
  app: AppConfig,
  project: ProjectConfig,
  seen: readonly SeenInstance[],
  store: StateStore | undefined,
  now: () => number,
): Promise<CheckResult[]> {
  const target = seen.find((s) => s.taskCount >= 2);
  if (!target) return [pagingUnknown(project.projectId)];
  try {
    const facts = await probePaging((param) => input.clientFor(project, param), target.instanceId);
    if (store && facts.param !== undefined && facts.base !== undefined) {
      const host = new URL(input.clientFor(project, 'start').origin).host;
      const record = { param: facts.param, base: facts.base, countIsTotal: facts.countIsTotal, probedAt: now() };
      await savePagingRecord(store, host, project.projectId, record);
    }
    return judgePaging(project.projectId, facts, {
      param: app.offsetParam,
      base: app.offsetBase,
      paramExplicit: app.pagingExplicit.param,
      baseExplicit: app.pagingExplicit.base,
    });
  } catch (err) {
    return [pagingUnknown(project.projectId, err)];
  }
}

/**
 * The self-check: configuration, secrets, each project's DMS endpoint, credentials, instances and paging,
 * the clock, the destinations, the store and the platform. Every row is a verdict with its evidence and,
 * unless `ok`, one sentence to fix it. Never a secret's value.
 */
export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const now = input.now ?? Date.now;
  const results: CheckResult[] = [];
  const { rows, app, notify } = parseAll(input.document, input.env ?? process.env);
  results.push(...rows);
  if (app) {
    results.push(
      ...(await checkSecrets(
        secretRefsOf({ ...app, notify: notify ?? app.notify }),
        input.resolveSecret,
        input.env ?? process.env,
      )),
    );
    let store: StateStore | undefined;
    if (input.store) {
      try {
        store = await input.store.open();
        results.push(...(await checkStore(input.store.name, store, now)));
      } catch (err) {
        results.push(
          problem(
            'store.answers',
            input.store.name,
            err instanceof Error ? err.message : 'failed',
            'Check the store settings and that the function can reach it.',
          ),
        );
      }
    }
    const origins = new Set<string>();
    for (const project of app.projects.values()) {
      let client: DmsClient;
      try {
        client = input.clientFor(project, app.offsetParam);
      } catch (err) {
        results.push(
          problem(
            'dms.endpoint',
            project.projectId,
            err instanceof Error ? err.message : 'no endpoint',
            'Check the region or the endpoint override.',
          ),
        );
        continue;
      }
      origins.add(client.origin);
      const { results: projectRows, instances } = await checkProject(project, client);
      results.push(...projectRows);
      if (
        !projectRows.some(
          (r) => r.verdict === 'problem' && (r.check === 'dms.credentials' || r.check === 'dms.endpoint'),
        )
      ) {
        results.push(...(await pagingRows(input, app, project, instances, store, now)));
      }
    }
    for (const origin of origins) results.push(await checkClock(origin, now, input.fetch));
    if (notify) {
      results.push(
        ...(await checkDestinations(notify, {
          resolveSecret: input.resolveSecret,
          credentials: input.credentials,
          ...(input.fetch ? { fetch: input.fetch } : {}),
          ...(input.resolveHost ? { resolveHost: input.resolveHost } : {}),
        })),
      );
    }
  }
  results.push(...checkPlatform(input.platform));
  const counts = { ok: 0, problem: 0, unknown: 0 };
  for (const r of results) counts[r.verdict] += 1;
  return { checkedAt: new Date(now()).toISOString(), results, counts };
}
