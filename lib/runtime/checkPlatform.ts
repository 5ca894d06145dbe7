import { type CheckResult, ok, problem, unknown } from '../core/checkResult';

/** What the deployment says of itself (environment variables the templates set, the runtime). */
export interface PlatformFacts {
  /** The notifier's timeout, seconds (`DTF_NOTIFY_TIMEOUT_SECONDS`). */
  readonly notifyTimeoutSeconds?: number;
  /** The notifier's schedule, as written (`DTF_NOTIFY_SCHEDULE`: `rate(5 minutes)` or FunctionGraph's `5m`). */
  readonly schedule?: string;
  /** `process.version`. */
  readonly nodeVersion: string;
  /** `AWS_EXECUTION_ENV` on Lambda (`AWS_Lambda_nodejs22.x`); absent elsewhere. */
  readonly awsExecutionEnv?: string;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { m: 60, minute: 60, h: 3600, hour: 3600, d: 86400, day: 86400 };

/**
 * Seconds between runs of a schedule: EventBridge `rate(5 minutes)` or a FunctionGraph Rate `5m`;
 * undefined otherwise.
 */
export function scheduleSeconds(schedule: string): number | undefined {
  const m = /^\s*(?:rate\(\s*(\d{1,6})\s+(minute|hour|day)s?\s*\)|(\d{1,6})([mhd]))\s*$/.exec(schedule);
  if (!m) return undefined;
  const n = Number(m[1] ?? m[3]);
  const unit = UNIT_SECONDS[m[2] ?? m[4] ?? ''];
  return unit === undefined || n < 1 ? undefined : n * unit;
}

/** Lambda runtimes AWS has deprecated (create blocked): AWS runtime deprecation schedule (REFERENCE.md). */
const DEPRECATED_LAMBDA = /nodejs(1\d|20)\.x/;

/** Below this a run cannot both scan and deliver. @default 60 s */
export const MIN_NOTIFY_TIMEOUT_SECONDS = 60;

/** The notifier's timeout against its schedule, and the runtime. */
export function checkPlatform(facts: PlatformFacts): CheckResult[] {
  const rows: CheckResult[] = [];
  const interval = facts.schedule ? scheduleSeconds(facts.schedule) : undefined;
  const timeout = facts.notifyTimeoutSeconds;
  if (timeout === undefined || interval === undefined) {
    rows.push(
      unknown(
        'platform.timeout',
        'notify-on-failure',
        `timeout ${timeout ?? 'not told'}, schedule ${facts.schedule ?? 'not told'}`,
        'Deploy with the templates of this release: they tell the functions DTF_NOTIFY_TIMEOUT_SECONDS and ' +
          'DTF_NOTIFY_SCHEDULE.',
      ),
    );
  } else if (timeout < MIN_NOTIFY_TIMEOUT_SECONDS) {
    rows.push(
      problem(
        'platform.timeout',
        'notify-on-failure',
        `timeout ${timeout} s, every ${interval} s`,
        `Give the notifier at least ${MIN_NOTIFY_TIMEOUT_SECONDS} s: a shorter run cannot scan and deliver.`,
      ),
    );
  } else if (timeout >= 2 * interval) {
    rows.push(
      problem(
        'platform.timeout',
        'notify-on-failure',
        `timeout ${timeout} s, every ${interval} s: one run can outlive the next two`,
        'Set the notifier timeout to about the schedule interval (runs overlap safely, but long runs hold leases).',
      ),
    );
  } else {
    rows.push(ok('platform.timeout', 'notify-on-failure', `timeout ${timeout} s, every ${interval} s`));
  }
  const major = Number(/^v(\d+)/.exec(facts.nodeVersion)?.[1] ?? 0);
  if (facts.awsExecutionEnv && DEPRECATED_LAMBDA.test(facts.awsExecutionEnv)) {
    rows.push(
      problem(
        'platform.runtime',
        facts.awsExecutionEnv,
        `Node ${facts.nodeVersion} on a deprecated Lambda runtime`,
        'Deploy with the serverless.yml of this release (a supported nodejs runtime).',
      ),
    );
  } else if (major < 20) {
    rows.push(problem('platform.runtime', 'node', `Node ${facts.nodeVersion}`, 'Run on Node.js 20.15 or later.'));
  } else {
    rows.push(ok('platform.runtime', facts.awsExecutionEnv ?? 'node', `Node ${facts.nodeVersion}`));
  }
  return rows;
}

/** The facts from an environment (the templates set the two DTF_ variables). */
export function platformFactsFrom(env: NodeJS.ProcessEnv, nodeVersion = process.version): PlatformFacts {
  const timeout = Number(env.DTF_NOTIFY_TIMEOUT_SECONDS);
  return {
    nodeVersion,
    ...(Number.isFinite(timeout) && timeout > 0 ? { notifyTimeoutSeconds: timeout } : {}),
    ...(env.DTF_NOTIFY_SCHEDULE ? { schedule: env.DTF_NOTIFY_SCHEDULE } : {}),
    ...(env.AWS_EXECUTION_ENV ? { awsExecutionEnv: env.AWS_EXECUTION_ENV } : {}),
  };
}
