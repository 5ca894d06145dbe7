import type { AppConfig } from '../../config/types';
import type { DmsClient } from '../../dms/client';
import type { StateStore, Versioned } from '../../state/types';
import { configuredTargets, instancesOf } from './discover';
import { errorName, type LogFn } from '../log';
import { keys, type CursorRecord } from '../records';
import type { TimeBudget } from '../timeBudget';
import type { InstanceTarget } from '../types';

/** What the plan phase works with. */
export interface PlanInput {
  readonly app: AppConfig;
  readonly store: StateStore;
  readonly clientFor: (projectId: string) => DmsClient;
  readonly budget: TimeBudget;
  readonly log: LogFn;
}

/** The run's targets in scan order, and their cursors (read once, for ordering and for the scans). */
export interface Plan {
  readonly queue: readonly InstanceTarget[];
  readonly cursors: ReadonlyMap<string, Versioned>;
}

/**
 * The plan phase: the instances to scan (configured and discovered, per project), least recently
 * scanned first, so a run cut short by time never starves the same instances.
 */
export async function planTargets(input: PlanInput): Promise<Plan> {
  const targets = await targetsOf(input);
  const cursors = await input.store.getMany(targets.map((t) => keys.cursor(t.projectId, t.instanceId)));
  const lastScan = (t: InstanceTarget): string =>
    (cursors.get(keys.cursor(t.projectId, t.instanceId))?.value as CursorRecord | undefined)?.lastScanAt ?? '';
  const queue = [...targets].sort((a, b) => lastScan(a).localeCompare(lastScan(b)));
  return { queue, cursors };
}

/** Configured and discovered instances; a failing discovery only loses that project's discovered part. */
async function targetsOf(input: PlanInput): Promise<InstanceTarget[]> {
  const targets: InstanceTarget[] = [];
  for (const project of input.app.projects.values()) {
    try {
      const client = input.clientFor(project.projectId);
      targets.push(...(await instancesOf(project, client, { deadline: input.budget.deadline() })));
    } catch (e) {
      input.log({ level: 'warn', msg: 'instance discovery failed', project: project.projectId, error: errorName(e) });
      targets.push(...configuredTargets(project));
    }
  }
  return targets;
}
