import type { CheckResult } from '../core/checkResult';
import { checkPlatform, platformFactsFrom } from '../runtime/checkPlatform';
import { checkStore } from '../state/checkStore';
import type { StateStore } from '../state/types';
import type { LogFn } from './log';

/**
 * The cheap part of the self-check (`GET /ops/v1/doctor` has the rest), run once per warm instance
 * before its first scan: the platform (timeout against the schedule, the runtime) and the store (it
 * answers, takes a conditional write, persists). Each problem is logged once, `msg: "self-check"`,
 * so a broken deployment says so in its first log lines; a check that throws is logged, never fatal.
 */
export async function coldStartCheck(
  store: StateStore,
  storeName: string,
  env: NodeJS.ProcessEnv,
  now: () => number,
  log: LogFn,
): Promise<readonly CheckResult[]> {
  let rows: CheckResult[];
  try {
    rows = [...checkPlatform(platformFactsFrom(env)), ...(await checkStore(storeName, store, now))];
  } catch (err) {
    log({
      level: 'warn',
      msg: 'self-check',
      check: 'self-check',
      error: err instanceof Error ? err.message : 'failed',
    });
    return [];
  }
  for (const r of rows) {
    if (r.verdict !== 'problem') continue;
    log({ level: 'warn', msg: 'self-check', check: r.check, subject: r.subject, evidence: r.evidence, fix: r.fix });
  }
  return rows;
}
