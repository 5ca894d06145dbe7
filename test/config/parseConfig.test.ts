import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, parseHttpAppConfig, readConfigDocument } from '../../lib/config';
import { SecretResolutionError } from '../../lib/secrets/errors';
import { resolveCredentials } from '../../lib/secrets/resolveCredentials';
import { resolveSecret } from '../../lib/secrets/resolveSecret';
import { clientForProject } from '../../lib/runtime/clientFor';
import { parseNotifyConfig } from '../../lib/notify/config/parseNotifyConfig';

const P1 = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

/** The whole document as both kinds of function read it: the notifier's part, then the HTTP functions'. */
function parseBoth(raw: unknown): void {
  parseConfig(raw);
  parseHttpAppConfig(raw);
}

describe('parseConfig', () => {
  it('applies documented defaults', () => {
    const c = parseConfig({ projects: { [P1]: 'cn-north-4' } });
    expect(c.offsetParam).toBe('start');
    expect(c.timeoutMs).toBe(10_000);
    expect(c.credentials.ak).toEqual({ env: 'CLOUD_SDK_AK' });
    expect(parseHttpAppConfig({ projects: { [P1]: 'cn-north-4' } }).http).toEqual({
      authRequired: true,
      tokens: [{ env: 'API_TOKENS' }],
      allowInstances: 'any',
    });
    const p = c.projects.get(P1);
    expect(p).toEqual({ projectId: P1, region: 'cn-north-4', instances: [], discover: [] });
  });

  it('uses the top-level region for projects given without one, and discover: true means all engines', () => {
    const c = parseConfig({ region: 'ap-southeast-1', projects: { [P1]: { discover: true } } });
    expect(c.projects.get(P1)?.region).toBe('ap-southeast-1');
    expect(c.projects.get(P1)?.discover).toEqual(['kafka', 'rocketmq', 'rabbitmq']);
  });

  it('parses watched instances with name defaulting to the id', () => {
    const c = parseConfig({
      projects: {
        [P1]: {
          region: 'cn-north-4',
          instances: [
            { id: 'i-1', engine: 'kafka' },
            { id: 'i-2', engine: 'rabbitmq', name: 'mq', routes: ['ops'] },
          ],
        },
      },
    });
    expect(c.projects.get(P1)?.instances).toEqual([
      { id: 'i-1', engine: 'kafka', name: 'i-1', routes: [] },
      { id: 'i-2', engine: 'rabbitmq', name: 'mq', routes: ['ops'] },
    ]);
  });

  it.each([
    [{ projects: { [P1]: 'xx-nowhere-1' } }, `projects.${P1}.region`, /not a DMS region/],
    [{ projects: {} }, 'projects', /at least one/],
    [{ projects: { [P1]: 'cn-north-4' }, offsetParam: 'page' }, 'offsetParam', /"start" or "offset"/],
    [{ projects: { [P1]: 'cn-north-4' }, typo: 1 }, '(root).typo', /unknown setting/],
    [{ projects: { '../etc': 'cn-north-4' } }, 'projects.../etc', /not a valid id/],
    [{ projects: { [P1]: 'cn-north-4' }, credentials: { ak: 'AKINLINE' } }, 'credentials.ak', /never inline/],
    [
      { projects: { [P1]: 'cn-north-4' }, credentials: { sk: { env: 'A', ssm: '/b' } } },
      'credentials.sk',
      /exactly one/,
    ],
    [{ projects: { [P1]: 'cn-north-4' }, endpoint: 'https://x.example/path' }, 'endpoint', /origin only/],
    [
      {
        projects: {
          [P1]: {
            region: 'cn-north-4',
            instances: [
              { id: 'a', engine: 'kafka' },
              { id: 'a', engine: 'kafka' },
            ],
          },
        },
      },
      `projects.${P1}.instances[1].id`,
      /duplicate/,
    ],
    [
      { projects: { [P1]: { region: 'cn-north-4', instances: [{ id: 'a', engine: 'mqtt' }] } } },
      `projects.${P1}.instances[0].engine`,
      /one of/,
    ],
    [{ projects: { [P1]: 'cn-north-4' }, http: { authRequired: true, tokens: [] } }, 'http.tokens', /at least one/],
    [{ projects: { [P1]: 'cn-north-4' }, http: { allowInstances: 'some' } }, 'http.allowInstances', /"any", "watched"/],
    [{ projects: { [P1]: 'cn-north-4' }, timeoutMs: 0 }, 'timeoutMs', /integer from 1/],
  ])('rejects %j at %s', (raw, path, problem) => {
    const e = errorOf(() => parseBoth(raw));
    expect(e.path).toBe(path);
    expect(e.message).toMatch(problem);
  });

  it('never echoes a secret-looking inline value in its error', () => {
    const e = errorOf(() => parseConfig({ projects: { [P1]: 'cn-north-4' }, credentials: { sk: 'SUPERSECRETSK' } }));
    expect(e.message).not.toContain('SUPERSECRETSK');
  });
});

/** What the functions did at cold start before the shared cold start: read the document, then parse it. */
const loadApp = (env: NodeJS.ProcessEnv) => parseConfig(readConfigDocument(env));
const loadHttp = (env: NodeJS.ProcessEnv) => parseHttpAppConfig(readConfigDocument(env));

describe('reading and parsing the document', () => {
  it('reads DMS_TASKS_CONFIG, or DMS_TASKS_CONFIG_FILE', async () => {
    const doc = { projects: { [P1]: 'cn-north-4' } };
    expect(loadApp({ DMS_TASKS_CONFIG: JSON.stringify(doc) }).projects.has(P1)).toBe(true);
    const dir = await mkdtemp(join(tmpdir(), 'dtf-config-'));
    await writeFile(join(dir, 'c.json'), JSON.stringify(doc));
    expect(loadApp({ DMS_TASKS_CONFIG_FILE: join(dir, 'c.json') }).projects.has(P1)).toBe(true);
  });

  it('names the variable when it is missing or not JSON', () => {
    expect(errorOf(() => loadApp({})).path).toBe('DMS_TASKS_CONFIG');
    expect(errorOf(() => loadApp({ DMS_TASKS_CONFIG: '{nope' })).message).toMatch(/not valid JSON/);
    expect(errorOf(() => loadApp({ DMS_TASKS_CONFIG_FILE: '/nonexistent/x.json' })).path).toBe('DMS_TASKS_CONFIG_FILE');
  });
});

describe('secrets', () => {
  it('resolves env and ssm references; errors name the reference only', async () => {
    await expect(resolveSecret({ env: 'X' }, { env: { X: 'v1' } })).resolves.toBe('v1');
    await expect(resolveSecret({ ssm: '/p' }, { ssm: async (n) => `value-of-${n}` })).resolves.toBe('value-of-/p');
    const err = await resolveSecret(
      { ssm: '/p' },
      {
        ssm: async () => {
          throw new Error('AccessDenied secretvalue');
        },
      },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretResolutionError);
    expect((err as Error).message).toBe('cannot resolve secret ssm:/p: SSM read failed (Error)');
    await expect(resolveSecret({ env: 'MISSING' }, { env: {} })).rejects.toThrow(/env:MISSING/);
  });

  it('resolves credentials with an optional security token, and builds a client per project', async () => {
    const c = parseConfig({ endpoint: 'http://127.0.0.1:9', projects: { [P1]: 'cn-north-4' } });
    const creds = await resolveCredentials(c, { env: { CLOUD_SDK_AK: 'ak', CLOUD_SDK_SK: 'sk' } });
    expect(creds).toEqual({ accessKeyId: 'ak', secretAccessKey: 'sk' });
    const withToken = await resolveCredentials(c, {
      env: { CLOUD_SDK_AK: 'ak', CLOUD_SDK_SK: 'sk', CLOUD_SDK_SECURITY_TOKEN: 't' },
    });
    expect(withToken.securityToken).toBe('t');
    const project = c.projects.get(P1);
    if (!project) throw new Error('project missing');
    const client = clientForProject(c, project, creds);
    expect(client.projectId).toBe(P1);
    expect(client.offsetParam).toBe('start');
  });
});

describe('each function parses only its own settings', () => {
  const instances = [{ id: 'i-1', engine: 'kafka', routes: ['ops'] }];
  const shared = { projects: { [P1]: { region: 'cn-north-4', instances } } };

  it('the HTTP functions ignore a bad notify section and notifier project settings; the notifier refuses them', () => {
    const badNotify = { ...shared, notify: { destinations: { hook: { type: 'pager', url: { env: 'U' } } } } };
    const httpView = parseHttpAppConfig(badNotify).projects.get(P1);
    expect(httpView?.instances).toEqual([{ id: 'i-1', engine: 'kafka', name: 'i-1' }]);
    const e = errorOf(() => parseNotifyConfig(parseConfig(badNotify), {}));
    expect(e.path).toBe('notify.destinations.hook.type');

    const badRoutes = [{ id: 'i-1', engine: 'kafka', routes: 'ops' }];
    const badWatch = { projects: { [P1]: { region: 'cn-north-4', discover: 'yes', instances: badRoutes } } };
    expect(parseHttpAppConfig(badWatch).projects.has(P1)).toBe(true);
    expect(errorOf(() => parseConfig(badWatch)).path).toBe(`projects.${P1}.instances[0].routes`);
  });

  it('the notifier ignores a bad http section; the HTTP functions refuse it', () => {
    const badHttp = { ...shared, http: { allowInstances: 'some', extra: 1 } };
    expect(parseConfig(badHttp).projects.get(P1)?.instances[0]?.routes).toEqual(['ops']);
    expect(errorOf(() => parseHttpAppConfig(badHttp)).path).toBe('http.extra');
  });

  it.each([
    [{ ...shared, typo: 1 }, '(root).typo'],
    [{ projects: { [P1]: { region: 'cn-north-4', discovr: true } } }, `projects.${P1}.discovr`],
    [
      { projects: { [P1]: { region: 'cn-north-4', instances: [{ id: 'i-1', engine: 'kafka', route: [] }] } } },
      `projects.${P1}.instances[0].route`,
    ],
  ])('both refuse an unknown setting: %j', (raw, path) => {
    expect(errorOf(() => parseHttpAppConfig(raw)).path).toBe(path);
    expect(errorOf(() => parseConfig(raw)).path).toBe(path);
  });

  it('accepts and ignores a top-level $schema', () => {
    const doc = { $schema: './schema/config.schema.json', ...shared };
    expect(parseHttpAppConfig(doc).projects.has(P1)).toBe(true);
    expect(parseConfig(doc).projects.has(P1)).toBe(true);
  });

  it('loadHttpConfig reads the same variables as loadConfig', () => {
    expect(loadHttp({ DMS_TASKS_CONFIG: JSON.stringify(shared) }).http.allowInstances).toBe('any');
    expect(errorOf(() => loadHttp({})).path).toBe('DMS_TASKS_CONFIG');
  });
});
