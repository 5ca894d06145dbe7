import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/parseConfig';
import { parseNotifyConfig } from '../../lib/notify/config/parseNotifyConfig';
import { resolveDestinations } from '../../lib/notify/deliver/resolveDestinations';
import { isNonPublicHost, webhookUrlProblem } from '../../lib/notify/deliver/urlPolicy';

const P = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const app = (
  notify: unknown,
  instances: unknown[] = [{ id: 'i-1', engine: 'kafka', name: 'orders', routes: ['ops'] }],
) => parseConfig({ projects: { [P]: { region: 'cn-north-4', instances } }, notify });
const base = {
  destinations: { hook: { type: 'webhook', url: { env: 'U' }, secrets: [{ env: 'S' }] } },
  routes: { ops: { destinations: ['hook'] } },
};

describe('parseNotifyConfig', () => {
  it('applies the documented defaults', () => {
    const c = parseNotifyConfig(app(base), {});
    expect(c).toMatchObject({
      statuses: ['FAILED', 'DELETED'],
      stuckAfterMinutes: 120,
      lookbackHours: 24,
      baseline: true,
      maxAgeHours: 24,
      concurrency: 16,
      allowInsecureWebhooks: false,
      store: { type: 'file' },
      defaultRoutes: ['ops'],
    });
    expect(c.destinations.get('hook')).toMatchObject({ ratePerMinute: 600, timeoutMs: 10_000 });
    expect(parseNotifyConfig(app(base), { NOTIFY_TABLE: 't1' }).store).toEqual({ type: 'dynamodb', table: 't1' });
  });

  it.each([
    [
      { ...base, destinations: { hook: { type: 'webhook', url: 'https://example.com/x', secrets: [{ env: 'S' }] } } },
      'notify.destinations.hook.url',
      /never inline/,
    ],
    [
      { ...base, destinations: { hook: { type: 'webhook', url: { env: 'U' } } } },
      'notify.destinations.hook.secrets',
      /signing secret/,
    ],
    [
      { ...base, destinations: { hook: { type: 'pager', url: { env: 'U' } } } },
      'notify.destinations.hook.type',
      /one of/,
    ],
    [
      {
        ...base,
        destinations: { s: { type: 'slack', url: { env: 'U' }, secret: { env: 'S' } } },
        routes: { ops: { destinations: ['s'] } },
      },
      'notify.destinations.s.secret',
      /not signed/,
    ],
    [
      { ...base, routes: { ops: { destinations: ['nope'] } } },
      'notify.routes.ops.destinations[0]',
      /unknown destination "nope"/,
    ],
    [
      { ...base, routes: { ops: { destinations: ['hook'], filter: { tasks: { inclde: [] } } } } },
      'notify.routes.ops.filter.tasks.inclde',
      /unknown setting/,
    ],
    [
      { ...base, routes: { ops: { destinations: ['hook'], filter: { events: ['late'] } } } },
      'notify.routes.ops.filter.events[0]',
      /failed, stuck/,
    ],
    [{ ...base, statuses: ['SUCCESS'] }, 'notify.statuses[0]', /FAILED, CANCELLED/],
    [{ ...base, stuckAfterMinutes: 0 }, 'notify.stuckAfterMinutes', /integer from 1/],
    [{ ...base, concurrency: 1.5 }, 'notify.concurrency', /integer/],
    [{ ...base, store: { type: 'memcached' } }, 'notify.store.type', /file", "dynamodb" or "redis/],
    [{ ...base, store: { type: 'redis' } }, 'notify.store.host', /is required/],
    [{ ...base, store: { type: 'redis', url: 'redis://:pw@h' } }, 'notify.store.url', /must not hold credentials/],
    [{ ...base, store: { type: 'dynamodb' } }, 'notify.store.table', /required/],
    [{ ...base, defaultRoutes: ['x'] }, 'notify.defaultRoutes[0]', /unknown route/],
    [{ ...base, allowInsecureWebhooks: 'yes' }, 'notify.allowInsecureWebhooks', /true or false/],
    [{ ...base, extra: 1 }, 'notify.extra', /unknown setting/],
  ])('rejects %j at %s', (notify, path, problem) => {
    expect(() => parseNotifyConfig(app(notify), {})).toThrow(
      expect.objectContaining({ name: 'ConfigError', path, message: expect.stringMatching(problem) }),
    );
  });

  it('checks that instances name existing routes', () => {
    expect(() => parseNotifyConfig(app(base, [{ id: 'i-1', engine: 'kafka', routes: ['oncall'] }]), {})).toThrow(
      expect.objectContaining({ path: `projects.${P}.instances[0].routes[0]` }),
    );
  });

  it('without routes, every destination gets everything', () => {
    const c = parseNotifyConfig(app({ destinations: base.destinations }, []), {});
    expect(c.routes.get('default')?.destinations).toEqual(['hook']);
  });
});

describe('webhook URL policy', () => {
  it.each([
    'localhost',
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '[::1]',
    '[fd00::1]',
    '[::ffff:127.0.0.1]',
    'printer.local',
    'intranet',
    '100.64.0.1',
    '0.0.0.0',
    '[2001:db8::1]',
  ])('%s is not public', (host) => expect(isNonPublicHost(host)).toBe(true));
  it.each(['hooks.slack.com', 'open.feishu.cn', '8.8.8.8', '[2606:4700:4700::1111]'])('%s is public', (host) =>
    expect(isNonPublicHost(host)).toBe(false),
  );

  it('wants https to a public host unless local development allows otherwise', () => {
    expect(webhookUrlProblem('https://hooks.slack.com/services/x', false).url).toBeDefined();
    expect(webhookUrlProblem('http://hooks.slack.com/services/x', false).problem).toMatch(/https/);
    expect(webhookUrlProblem('https://127.0.0.1:9/x', false).problem).toMatch(/public/);
    expect(webhookUrlProblem('https://user:pw@example.com/x', false).problem).toMatch(/user info/);
    expect(webhookUrlProblem('http://127.0.0.1:9/x', true).url).toBeDefined();
    expect(webhookUrlProblem('ftp://example.com/x', true).problem).toMatch(/scheme/);
  });

  it('resolves references and refuses a bad URL or secret without echoing it', async () => {
    const c = parseNotifyConfig(app(base), {});
    await expect(
      resolveDestinations(c, {
        env: { U: 'http://hooks.example.com/secret-path', S: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
      }),
    ).rejects.toThrow(/^destination hook: URL scheme must be https/);
    await expect(resolveDestinations(c, { env: { U: 'https://hooks.example.com/p', S: 'short' } })).rejects.toThrow(
      /whsec_/,
    );
    await expect(resolveDestinations(c, { env: { S: 'x' } })).rejects.toThrow(/env:U/);
    const ok = await resolveDestinations(c, {
      env: { U: 'https://hooks.example.com/p', S: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
    });
    expect(ok.get('hook')?.url.hostname).toBe('hooks.example.com');
    for (const e of [
      await resolveDestinations(c, { env: { U: 'http://hooks.example.com/secret-path', S: 'x' } }).catch(
        (x: Error) => x,
      ),
    ]) {
      expect(String(e)).not.toContain('secret-path');
    }
  });
});
