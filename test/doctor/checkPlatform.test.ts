import { describe, expect, it } from 'vitest';
import { checkPlatform, scheduleSeconds } from '../../lib/runtime/checkPlatform';

describe('checkPlatform: the notifier timeout against its schedule, and the runtime', () => {
  it('reads EventBridge and FunctionGraph schedules, nothing else', () => {
    expect(scheduleSeconds('rate(5 minutes)')).toBe(300);
    expect(scheduleSeconds('rate(1 hour)')).toBe(3600);
    expect(scheduleSeconds('5m')).toBe(300);
    expect(scheduleSeconds('2d')).toBe(172_800);
    for (const bad of ['cron(0 * * * ? *)', 'rate(0 minutes)', '5s', '', 'rate(5 weeks)']) {
      expect(scheduleSeconds(bad), bad).toBeUndefined();
    }
  });

  it('judges the timeout and a deprecated Lambda runtime', () => {
    const row = (facts: Parameters<typeof checkPlatform>[0], check: string) =>
      checkPlatform(facts).find((r) => r.check === check)?.verdict;
    const node = 'v24.1.0';
    expect(row({ nodeVersion: node, notifyTimeoutSeconds: 300, schedule: '5m' }, 'platform.timeout')).toBe('ok');
    expect(row({ nodeVersion: node, notifyTimeoutSeconds: 30, schedule: '5m' }, 'platform.timeout')).toBe('problem');
    expect(row({ nodeVersion: node, notifyTimeoutSeconds: 900, schedule: '5m' }, 'platform.timeout')).toBe('problem');
    expect(row({ nodeVersion: node }, 'platform.timeout')).toBe('unknown');
    const old = { nodeVersion: 'v20.19.0', awsExecutionEnv: 'AWS_Lambda_nodejs20.x' };
    expect(row(old, 'platform.runtime')).toBe('problem');
    expect(row({ nodeVersion: node, awsExecutionEnv: 'AWS_Lambda_nodejs24.x' }, 'platform.runtime')).toBe('ok');
  });
});
