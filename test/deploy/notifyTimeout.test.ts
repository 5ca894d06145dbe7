import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** Seconds of an AWS `rate(N unit)` expression. */
function rateSeconds(rate: string): number {
  const m = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(rate);
  if (!m) throw new Error(`not a rate expression: ${rate}`);
  const unit = { minute: 60, hour: 3600, day: 86_400 }[(m[2] ?? '').replace(/s$/, '') as 'minute' | 'hour' | 'day'];
  return Number(m[1]) * unit;
}

describe('the notifier’s default timeout is its schedule’s interval (issue 22 §2)', () => {
  it('serverless.yml: the default NOTIFY_TIMEOUT is the default NOTIFY_RATE in seconds, within Lambda’s 900', () => {
    const yml = read('serverless.yml');
    const rate = /rate: \$\{env:NOTIFY_RATE, '([^']+)'\}/.exec(yml)?.[1] ?? '';
    const timeout = Number(/timeout: \$\{env:NOTIFY_TIMEOUT, (\d+)\}/.exec(yml)?.[1]);
    expect(timeout).toBe(Math.min(rateSeconds(rate), 900));
  });

  it('FunctionGraph: local.notify_timeout is the interval of var.notify_schedule, at most 259,200 s', () => {
    const tf = read('deploy/functiongraph/main.tf');
    const lines = tf.split('\n').filter((l) => /^\s+notify_(interval_seconds|timeout)\s+=/.test(l));
    expect(lines).toHaveLength(2);
    expect(tf).toContain('timeout = local.notify_timeout');
    const hasTerraform = spawnSync('terraform', ['version'], { stdio: 'ignore' }).status === 0;
    if (!hasTerraform) {
      console.log('terraform is not on PATH: the expression is checked by text only');
      return;
    }
    // The two lines of the module, evaluated by Terraform itself for a few schedules.
    const dir = mkdtempSync(join(tmpdir(), 'notify-timeout-'));
    try {
      const variables =
        'variable "notify_schedule" {\n  default = "5m"\n}\n' +
        'variable "notify_timeout" {\n  type    = number\n  default = null\n}\n';
      writeFileSync(join(dir, 'main.tf'), `${variables}locals {\n${lines.join('\n')}\n}\n`);
      const timeout = (...args: string[]): number =>
        Number(
          execFileSync('terraform', ['console', ...args], {
            cwd: dir,
            input: 'local.notify_timeout\n',
            encoding: 'utf8',
            env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1' },
            stdio: ['pipe', 'pipe', 'ignore'],
          }).trim(),
        );
      expect(timeout()).toBe(300);
      expect(timeout('-var', 'notify_schedule=1h')).toBe(3600);
      expect(timeout('-var', 'notify_schedule=30d')).toBe(259_200);
      expect(timeout('-var', 'notify_timeout=120')).toBe(120);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
