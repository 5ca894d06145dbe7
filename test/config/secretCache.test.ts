import { describe, expect, it } from 'vitest';
import { SecretResolutionError } from '../../lib/secrets/errors';
import { resolveSecret, type SecretOptions } from '../../lib/secrets/resolveSecret';
import { SecretCache } from '../../lib/secrets/secretCache';

/** A clock the test moves. */
function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 5_000_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('secrets kept for a bounded lifetime', () => {
  it('sees a rotated environment value after the lifetime and not before', async () => {
    const c = clock();
    const env: NodeJS.ProcessEnv = { TOKEN: 'first-value' };
    const options: SecretOptions = { env, cache: new SecretCache({ ttlMs: 300_000, now: c.now }) };
    await expect(resolveSecret({ env: 'TOKEN' }, options)).resolves.toBe('first-value');
    env.TOKEN = 'rotated-value';
    c.advance(299_999);
    await expect(resolveSecret({ env: 'TOKEN' }, options)).resolves.toBe('first-value');
    c.advance(1);
    await expect(resolveSecret({ env: 'TOKEN' }, options)).resolves.toBe('rotated-value');
  });

  it('sees a rotated SSM value after the lifetime, reading once per lifetime', async () => {
    const c = clock();
    let value = 'ssm-one';
    const reads: string[] = [];
    const ssm = async (name: string): Promise<string> => {
      reads.push(name);
      return value;
    };
    const options: SecretOptions = { ssm, cache: new SecretCache({ ttlMs: 60_000, now: c.now }) };
    const read = (): Promise<string> => resolveSecret({ ssm: '/dtf/hook' }, options);
    expect(await Promise.all([read(), read()])).toEqual(['ssm-one', 'ssm-one']);
    value = 'ssm-two';
    c.advance(59_000);
    expect(await read()).toBe('ssm-one');
    expect(reads).toEqual(['/dtf/hook']);
    c.advance(1_000);
    expect(await read()).toBe('ssm-two');
    expect(reads).toEqual(['/dtf/hook', '/dtf/hook']);
  });

  it('does not keep a failed read: the next call reads again; the error names the reference only', async () => {
    const c = clock();
    let fail = true;
    let calls = 0;
    const ssm = async (): Promise<string> => {
      calls++;
      if (fail) throw Object.assign(new Error('throttled, last value was hunter2-secret'), { name: 'Throttling' });
      return 'hunter2-secret';
    };
    const cache = new SecretCache({ ttlMs: 300_000, now: c.now });
    const options: SecretOptions = { ssm, cache };
    const err = await resolveSecret({ ssm: '/p' }, options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretResolutionError);
    expect((err as Error).message).toBe('cannot resolve secret ssm:/p: SSM read failed (Throttling)');
    expect(cache.size).toBe(0);
    fail = false;
    await expect(resolveSecret({ ssm: '/p' }, options)).resolves.toBe('hunter2-secret');
    expect(calls).toBe(2);
    expect(JSON.stringify({ cache })).not.toContain('hunter2');
  });

  it('an empty value and a missing CSMS reader fail, naming the reference', async () => {
    const options: SecretOptions = { ssm: async () => '', cache: new SecretCache({ ttlMs: 1000 }) };
    await expect(resolveSecret({ ssm: '/empty' }, options)).rejects.toThrow(
      'cannot resolve secret ssm:/empty: SSM value is empty',
    );
    await expect(resolveSecret({ csms: 'x' }, {})).rejects.toThrow(
      'cannot resolve secret csms:x: no CSMS reader configured',
    );
  });

  it('with a lifetime of 0 reads every time', async () => {
    let n = 0;
    const options: SecretOptions = { ssm: async () => `v${++n}`, cache: new SecretCache({ ttlMs: 0 }) };
    expect(await resolveSecret({ ssm: '/p' }, options)).toBe('v1');
    expect(await resolveSecret({ ssm: '/p' }, options)).toBe('v2');
  });
});
