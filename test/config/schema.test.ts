import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { buildLocalConfig, localNotify } from '../../dev/localConfig';
import { CONFIG_KEYS, HTTP_KEYS, ID_PATTERN, NAME_PATTERN, parseConfig, parseHttpAppConfig } from '../../lib/config';
import { ENV_NAME_PATTERN, SSM_NAME_PATTERN, TABLE_NAME_PATTERN } from '../../lib/config/constants';
import { CREDENTIAL_SOURCES, CSMS_NAME_PATTERN, REGION_NAME_PATTERN } from '../../lib/config/secretSettings';
import { DMS_REGIONS } from '../../lib/dms/endpoints';
import { ENGINES } from '../../lib/dms/types';
import { NOTIFY_KEYS, parseNotifyConfig } from '../../lib/notify/config/parseNotifyConfig';
import { REDIS_STORE_KEYS } from '../../lib/state/parseStoreConfig';
import { SILENCE_KEYS } from '../../lib/notify/silences/parseSilence';
import { DESTINATION_TYPES } from '../../lib/notify/types';

/**
 * Keeps `schema/config.schema.json` (what an editor validates a config file with) and the parsers
 * (what the functions run) in agreement: the same documents pass both, the same are refused by both,
 * and the few rules only a parser can check are listed as such.
 */

type Json = Record<string, unknown>;

const schema = JSON.parse(readFileSync(join(__dirname, '../../schema/config.schema.json'), 'utf8')) as Json;
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/** Every parser of the document, as the functions run them (the notifier with no NOTIFY_TABLE). */
function parseAll(doc: unknown): void {
  parseHttpAppConfig(doc);
  parseNotifyConfig(parseConfig(doc), {});
}

function schemaErrors(doc: unknown): string {
  return validate(doc) ? '' : ajv.errorsText(validate.errors);
}

function at(path: string): Json {
  let node: unknown = schema;
  for (const key of path.split('.')) node = (node as Json)[key];
  return node as Json;
}

const P = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const Q = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const base = (extra: Json = {}): Json => ({ projects: { [P]: 'cn-north-4' }, ...extra });
const withInstances = (region: string, instances: Json[]): Json => ({ projects: { [P]: { region, instances } } });
const withInstance = (instance: Json): Json => withInstances('cn-north-4', [instance]);
const hook = { type: 'webhook', url: { env: 'HOOK_URL' }, secrets: [{ env: 'HOOK_SECRET' }] };
const withNotify = (notify: Json): Json => base({ notify: { destinations: { hook }, ...notify } });
const withDestination = (d: Json): Json => base({ notify: { destinations: { d } } });

const everyDestination: Json = {
  $schema: './schema/config.schema.json',
  region: 'ap-southeast-1',
  endpoint: 'https://dms.example.com',
  offsetParam: 'offset',
  offsetBase: 0,
  pageSize: 100,
  timeoutMs: 60_000,
  requestsPerSecond: 2.5,
  credentials: { ak: { ssm: '/dtf/prod/ak' }, sk: { ssm: '/dtf/prod/sk' }, securityToken: { env: 'TOKEN' } },
  projects: {
    [P]: 'cn-north-4',
    [Q]: {
      endpoint: 'http://127.0.0.1:9000',
      discover: ['rocketmq', 'rabbitmq'],
      instances: [
        { id: 'i-1', engine: 'kafka', name: 'orders', routes: ['oncall', 'china'] },
        { id: 'i_2', engine: 'rabbitmq' },
      ],
    },
  },
  http: { authRequired: true, tokens: [{ ssm: '/dtf/prod/tokens' }, { env: 'API_TOKENS' }], allowInstances: 'watched' },
  notify: {
    destinations: {
      'ops-hook': { type: 'webhook', url: { ssm: '/dtf/prod/hook-url' }, secrets: [{ ssm: '/a' }, { env: 'OLD' }] },
      'one.hook': { type: 'webhook', url: { env: 'U1' }, secret: { env: 'S1' }, ratePerMinute: 6000, timeoutMs: 100 },
      slack: { type: 'slack', url: { env: 'SLACK_URL' }, maxBodyBytes: 1024 },
      teams: { type: 'teams', url: { env: 'TEAMS_URL' }, secrets: [] },
      lark: { type: 'feishu', url: { env: 'FEISHU_URL' }, secret: { env: 'FEISHU_SECRET' } },
      ding: { type: 'dingtalk', url: { env: 'DING_URL' }, secrets: [{ env: 'DING_SECRET' }] },
      dingUnsigned: { type: 'dingtalk', url: { env: 'DING2_URL' } },
      wecom: { type: 'wecom', url: { ssm: '/dtf/wecom' }, maxBodyBytes: 1_048_576 },
      topic: { type: 'smn', topicUrn: `urn:smn:cn-north-4:${P}:dms-oncall` },
      topicLocal: { type: 'smn', topicUrn: `urn:smn:cn-north-4:${Q}:t_1`, endpoint: 'http://127.0.0.1:9000' },
      pd: { type: 'pagerduty', routingKey: { ssm: '/dtf/pd' } },
      pdLocal: {
        type: 'pagerduty',
        routingKey: { env: 'PD' },
        endpoint: 'http://127.0.0.1:9/pagerduty/x',
        severity: { failed: 'critical', stuck: 'error', reminder: 'info', recovered: 'info' },
      },
    },
    routes: {
      oncall: {
        destinations: ['ops-hook', 'one.hook', 'slack', 'teams'],
        filter: { tasks: { exclude: ['restart*'] } },
      },
      china: {
        destinations: ['lark', 'ding', 'dingUnsigned', 'wecom', 'topic', 'topicLocal', 'pd', 'pdLocal'],
        filter: { instances: { include: ['cn-*'], exclude: [] }, events: ['failed'] },
      },
    },
    defaultRoutes: ['oncall'],
    filter: { events: ['failed', 'stuck'] },
    statuses: ['FAILED', 'CANCELLED', 'DELETED'],
    stuckStatuses: ['EXECUTING'],
    stuckAfterMinutes: 43_200,
    repeatAfterMinutes: 43_200,
    maxReminders: 100,
    lookbackHours: 720,
    maxCatchUpHours: 2160,
    baseline: false,
    maxAgeHours: 0.5,
    concurrency: 256,
    maxGroupItems: 1,
    store: { type: 'dynamodb', table: 'dtf-state', endpoint: 'http://127.0.0.1:8000' },
    allowInsecureWebhooks: true,
  },
};

const localNotifySection = localNotify('http://127.0.0.1:8').notify;
const valid: ReadonlyArray<readonly [string, unknown]> = [
  [
    'the full local config (dev/localConfig)',
    buildLocalConfig({ endpoint: 'http://127.0.0.1:9', notify: localNotifySection }),
  ],
  [
    'the local config, watched instances, no auth',
    buildLocalConfig({ endpoint: 'http://localhost:1', allowInstances: 'watched', authRequired: false }),
  ],
  ['every destination type and secret-reference form, a DynamoDB store', everyDestination],
  ['a project as a region string only', base()],
  [
    'discover: true, an explicit allowlist',
    { projects: { [P]: { region: 'cn-north-4', discover: true } }, http: { allowInstances: ['i-1', 'x_2'] } },
  ],
  [
    'discover: false, no auth and no tokens',
    { projects: { [P]: { region: 'cn-north-4', discover: false } }, http: { authRequired: false, tokens: [] } },
  ],
  ['a file store with its default path', withNotify({ store: { type: 'file' } })],
  ['a file store with a path', withNotify({ store: { type: 'file', path: '/tmp/state.json' } })],
  ['a Redis store by host', withNotify({ store: { type: 'redis', host: 'dcs.internal' } })],
  [
    'a Redis store by URL, with a password, TLS with a CA and a key prefix',
    withNotify({
      store: {
        type: 'redis',
        url: 'rediss://192.168.0.12:6379/2',
        password: { ssm: '/dtf/dcs-password' },
        tls: { ca: { env: 'DCS_CA' }, servername: 'redis.dcs.example' },
        keyPrefix: 'prod:',
      },
    }),
  ],
  [
    'a Redis store by host, port and db, a user, TLS on',
    withNotify({
      store: { type: 'redis', host: 'h', port: 6380, db: 1, username: 'app', password: { env: 'P' }, tls: true },
    }),
  ],
  ['notify with no destinations', base({ notify: {} })],
  [
    'stuck thresholds per task-name glob, reminders off',
    withNotify({ stuckAfterMinutes: { default: 60, tasks: { 'modify*': 90, restartInstance: 30 } }, maxReminders: 0 }),
  ],
  [
    'quiet hours on a route, silences from the configuration',
    withNotify({
      routes: {
        chat: {
          destinations: ['hook'],
          quietHours: [
            { start: '22:00', end: '07:00', timeZone: 'Asia/Shanghai' },
            { start: '00:00', end: '24:00', timeZone: 'Europe/Berlin', days: ['sat', 'sun'] },
          ],
        },
      },
      silences: [
        {
          id: 'resize-orders',
          startsAt: '2026-12-01T22:00Z',
          endsAt: '2026-12-02T10:00:00.000+08:00',
          matchers: { instances: ['orders-*'], tasks: ['modify*'], projects: [P], events: ['failed', 'stuck'] },
          createdBy: 'ops@example.com',
          comment: 'planned resize',
        },
        { id: 's2', startsAt: '2026-12-01T00:00Z', endsAt: '2026-12-01T01:00Z', matchers: { events: ['reminder'] } },
      ],
    }),
  ],
  ['stuck thresholds per glob only', withNotify({ stuckAfterMinutes: { tasks: { '*': 1 } } })],
  ['an endpoint with a trailing slash', base({ endpoint: 'https://dms.example.com:8443/' })],
  ['the least request budget', base({ requestsPerSecond: 0.1 })],
  ['the largest request budget', base({ requestsPerSecond: 10_000 })],
  ['a 1-based offset, the smallest page size', base({ offsetBase: 1, pageSize: 1 })],
  ['FunctionGraph agency credentials', base({ credentials: { source: 'functiongraph' } })],
  ['explicit reference credentials', base({ credentials: { source: 'references', ak: { env: 'AK' } } })],
  [
    'CSMS references for tokens and a destination, an explicit CSMS project',
    base({
      csms: { projectId: Q, region: 'ap-southeast-3', endpoint: 'http://127.0.0.1:9' },
      http: { tokens: [{ csms: 'dtf-api-tokens' }] },
      notify: { destinations: { hook: { ...hook, url: { csms: 'hook.url' }, secrets: [{ csms: 'hook_secret-1' }] } } },
    }),
  ],
  ['CSMS of the first project, by default', base({ csms: {}, http: { tokens: [{ csms: 't' }] } })],
  ['no secrets cache', base({ secretsCacheSeconds: 0 })],
  ['the longest secrets cache', base({ secretsCacheSeconds: 3600 })],
];

const invalid: ReadonlyArray<readonly [string, unknown]> = [
  // Unknown keys, one per level.
  ['unknown top-level key', base({ typo: 1 })],
  ['unknown project key', { projects: { [P]: { region: 'cn-north-4', discovr: true } } }],
  ['unknown instance key', withInstance({ id: 'i-1', engine: 'kafka', route: ['x'] })],
  ['unknown credentials key', base({ credentials: { secretKey: { env: 'X' } } })],
  ['unknown key in a secret reference', base({ credentials: { ak: { env: 'AK', region: 'x' } } })],
  ['unknown http key', base({ http: { auth: false } })],
  ['unknown notify key', withNotify({ extra: 1 })],
  ['unknown destination key', withDestination({ ...hook, retries: 3 })],
  ['unknown route key', withNotify({ routes: { r: { destinations: ['hook'], channel: 'x' } } })],
  ['unknown filter key', withNotify({ filter: { task: {} } })],
  ['unknown filter side key', withNotify({ filter: { tasks: { inclde: ['a'] } } })],
  ['unknown file store key', withNotify({ store: { type: 'file', table: 'abc' } })],
  ['unknown dynamodb store key', withNotify({ store: { type: 'dynamodb', table: 'abc', path: 'x' } })],
  // Wrong types.
  ['projects as an array', { projects: [P] }],
  ['a project as a number', { projects: { [P]: 4 } }],
  ['instances as an object', { projects: { [P]: { region: 'cn-north-4', instances: { id: 'i-1' } } } }],
  ['discover as a string', { projects: { [P]: { region: 'cn-north-4', discover: 'kafka' } } }],
  ['routes as a string', withInstance({ id: 'i-1', engine: 'kafka', routes: 'ops' })],
  ['an empty instance name', withInstance({ id: 'i-1', engine: 'kafka', name: '' })],
  ['timeoutMs as a string', base({ timeoutMs: '1000' })],
  ['authRequired as a string', base({ http: { authRequired: 'yes' } })],
  ['tokens not an array', base({ http: { tokens: { env: 'T' } } })],
  ['baseline as a string', withNotify({ baseline: 'true' })],
  ['events as a string', withNotify({ filter: { events: 'failed' } })],
  ['an empty glob', withNotify({ filter: { tasks: { include: [''] } } })],
  ['notify as an array', base({ notify: [] })],
  ['a store without a type', withNotify({ store: { path: 'x' } })],
  // Out-of-range numbers.
  ['timeoutMs 0', base({ timeoutMs: 0 })],
  ['timeoutMs above 60000', base({ timeoutMs: 60_001 })],
  ['timeoutMs not an integer', base({ timeoutMs: 1.5 })],
  ['requestsPerSecond 0', base({ requestsPerSecond: 0 })],
  ['requestsPerSecond above 10000', base({ requestsPerSecond: 10_000.5 })],
  ['requestsPerSecond as a string', base({ requestsPerSecond: '20' })],
  ['offsetBase 2', base({ offsetBase: 2 })],
  ['offsetBase as a string', base({ offsetBase: '1' })],
  ['offsetBase not an integer', base({ offsetBase: 0.5 })],
  ['pageSize 0', base({ pageSize: 0 })],
  ['pageSize above 100', base({ pageSize: 101 })],
  ['pageSize not an integer', base({ pageSize: 10.5 })],
  ['concurrency 0', withNotify({ concurrency: 0 })],
  ['concurrency above 256', withNotify({ concurrency: 257 })],
  ['concurrency not an integer', withNotify({ concurrency: 1.5 })],
  ['maxAgeHours 0', withNotify({ maxAgeHours: 0 })],
  ['stuckAfterMinutes 0', withNotify({ stuckAfterMinutes: 0 })],
  ['a per-glob stuck threshold of 0', withNotify({ stuckAfterMinutes: { tasks: { 'resize*': 0 } } })],
  ['an empty stuck-threshold glob', withNotify({ stuckAfterMinutes: { tasks: { '': 10 } } })],
  ['an unknown stuck-threshold key', withNotify({ stuckAfterMinutes: { default: 10, glob: {} } })],
  ['a stuck threshold as a string', withNotify({ stuckAfterMinutes: '120' })],
  [
    'a quiet window with a bad time of day',
    withNotify({
      routes: { r: { destinations: ['hook'], quietHours: [{ start: '25:00', end: '07:00', timeZone: 'UTC' }] } },
    }),
  ],
  [
    'a quiet window without a zone',
    withNotify({ routes: { r: { destinations: ['hook'], quietHours: [{ start: '22:00', end: '07:00' }] } } }),
  ],
  [
    'a quiet window on an unknown day',
    withNotify({
      routes: {
        r: { destinations: ['hook'], quietHours: [{ start: '22:00', end: '07:00', timeZone: 'UTC', days: ['fr'] }] },
      },
    }),
  ],
  [
    'a silence without matchers',
    withNotify({ silences: [{ id: 's', startsAt: '2026-12-01T00:00Z', endsAt: '2026-12-01T01:00Z', matchers: {} }] }),
  ],
  [
    'a silence without an id',
    withNotify({
      silences: [{ startsAt: '2026-12-01T00:00Z', endsAt: '2026-12-01T01:00Z', matchers: { tasks: ['a'] } }],
    }),
  ],
  [
    'a silence with a time without a zone',
    withNotify({
      silences: [{ id: 's', startsAt: '2026-12-01T00:00', endsAt: '2026-12-01T01:00Z', matchers: { tasks: ['a'] } }],
    }),
  ],
  [
    'a silence of an unknown event',
    withNotify({
      silences: [
        { id: 's', startsAt: '2026-12-01T00:00Z', endsAt: '2026-12-01T01:00Z', matchers: { events: ['late'] } },
      ],
    }),
  ],
  ['repeatAfterMinutes 0', withNotify({ repeatAfterMinutes: 0 })],
  ['maxReminders below 0', withNotify({ maxReminders: -1 })],
  ['maxReminders above 100', withNotify({ maxReminders: 101 })],
  ['lookbackHours above 720', withNotify({ lookbackHours: 721 })],
  ['maxCatchUpHours above 2160', withNotify({ maxCatchUpHours: 2161 })],
  ['maxGroupItems above 200', withNotify({ maxGroupItems: 201 })],
  ['ratePerMinute above 6000', withDestination({ ...hook, ratePerMinute: 6001 })],
  ['maxBodyBytes below 1024', withDestination({ ...hook, maxBodyBytes: 100 })],
  ['a destination timeout below 100', withDestination({ ...hook, timeoutMs: 50 })],
  // Inline secrets.
  ['an inline access key', base({ credentials: { ak: 'AKINLINE' } })],
  ['an inline bearer token', base({ http: { tokens: ['abcdefghijklmnopqrstu'] } })],
  ['an inline destination URL', withDestination({ ...hook, url: 'https://example.com/x' })],
  ['an inline signing secret', withDestination({ type: 'feishu', url: { env: 'U' }, secret: 'SEC123' })],
  ['a reference with both env and ssm', base({ credentials: { sk: { env: 'A', ssm: '/b' } } })],
  ['an empty reference', base({ credentials: { sk: {} } })],
  // Bad enums and cross-field rules the schema can express.
  ['an unknown engine', withInstance({ id: 'i-1', engine: 'mqtt' })],
  ['an unknown offsetParam', base({ offsetParam: 'page' })],
  ['an unknown region', { projects: { [P]: 'xx-nowhere-1' } }],
  ['an unknown default region', { region: 'xx-nowhere-1', projects: { [P]: {} } }],
  ['an unknown destination type', withDestination({ type: 'pager', url: { env: 'U' } })],
  ['an unknown failure status', withNotify({ statuses: ['SUCCESS'] })],
  ['an unknown stuck status', withNotify({ stuckStatuses: ['FAILED'] })],
  ['an unknown event', withNotify({ filter: { events: ['late'] } })],
  ['an unknown store type', withNotify({ store: { type: 'memcached' } })],
  ['a Redis store with neither url nor host', withNotify({ store: { type: 'redis' } })],
  ['a Redis store with both url and host', withNotify({ store: { type: 'redis', url: 'redis://a', host: 'b' } })],
  ['a Redis URL with a password in it', withNotify({ store: { type: 'redis', url: 'redis://:secret@h:6379' } })],
  ['a Redis URL of another scheme', withNotify({ store: { type: 'redis', url: 'http://h:6379' } })],
  ['an inline Redis password', withNotify({ store: { type: 'redis', host: 'h', password: 'secret' } })],
  ['a Redis port out of range', withNotify({ store: { type: 'redis', host: 'h', port: 70000 } })],
  ['an unknown Redis store key', withNotify({ store: { type: 'redis', host: 'h', table: 'abc' } })],
  ['an unknown Redis TLS key', withNotify({ store: { type: 'redis', host: 'h', tls: { cert: { env: 'C' } } } })],
  ['an unknown allowInstances word', base({ http: { allowInstances: 'some' } })],
  ['no project', { projects: {} }],
  ['no projects section', {}],
  ['a project without a region and no default', { projects: { [P]: { instances: [] } } }],
  ['an instance without an engine', withInstance({ id: 'i-1' })],
  ['an endpoint with a path', base({ endpoint: 'https://x.example/path' })],
  ['an endpoint with user info', base({ endpoint: 'https://u:p@x.example' })],
  ['an endpoint that is not http(s)', base({ endpoint: 'ftp://x.example' })],
  ['auth required with no tokens', base({ http: { tokens: [] } })],
  ['a webhook without a signing secret', withDestination({ type: 'webhook', url: { env: 'U' } })],
  ['a webhook with an empty secrets list', withDestination({ type: 'webhook', url: { env: 'U' }, secrets: [] })],
  ['both secret and secrets', withDestination({ ...hook, secret: { env: 'S2' } })],
  ['a signed Slack destination', withDestination({ type: 'slack', url: { env: 'U' }, secret: { env: 'S' } })],
  ['a Teams destination with secrets', withDestination({ type: 'teams', url: { env: 'U' }, secrets: [{ env: 'S' }] })],
  [
    'a Feishu destination with two secrets',
    withDestination({ type: 'feishu', url: { env: 'U' }, secrets: [{ env: 'A' }, { env: 'B' }] }),
  ],
  ['a destination without a URL', withDestination({ type: 'slack' })],
  ['an SMN destination without a topic', withDestination({ type: 'smn' })],
  ['an SMN topic that is not a URN', withDestination({ type: 'smn', topicUrn: 'dms-oncall' })],
  ['an SMN destination with a URL', withDestination({ type: 'smn', topicUrn: `urn:smn:r:${P}:t`, url: { env: 'U' } })],
  [
    'an SMN destination with a routing key',
    withDestination({ type: 'smn', topicUrn: `urn:smn:r:${P}:t`, routingKey: { env: 'K' } }),
  ],
  ['a PagerDuty destination without a routing key', withDestination({ type: 'pagerduty' })],
  ['an inline PagerDuty routing key', withDestination({ type: 'pagerduty', routingKey: 'R0123' })],
  [
    'a PagerDuty destination with a secret',
    withDestination({ type: 'pagerduty', routingKey: { env: 'K' }, secret: { env: 'S' } }),
  ],
  [
    'an unknown PagerDuty severity',
    withDestination({ type: 'pagerduty', routingKey: { env: 'K' }, severity: { failed: 'high' } }),
  ],
  [
    'a severity for an unknown event',
    withDestination({ type: 'pagerduty', routingKey: { env: 'K' }, severity: { done: 'info' } }),
  ],
  [
    'an endpoint with a query',
    withDestination({ type: 'pagerduty', routingKey: { env: 'K' }, endpoint: 'https://x/?a=1' }),
  ],
  [
    'a topic URN on a Slack destination',
    withDestination({ type: 'slack', url: { env: 'U' }, topicUrn: `urn:smn:r:${P}:t` }),
  ],
  ['a route without destinations', withNotify({ routes: { r: {} } })],
  ['a route with no destination', withNotify({ routes: { r: { destinations: [] } } })],
  // Bad ids and names.
  ['a bad project id', { projects: { '../etc': 'cn-north-4' } }],
  ['a bad instance id', withInstance({ id: 'a b', engine: 'kafka' })],
  ['a too long instance id', withInstance({ id: 'a'.repeat(65), engine: 'kafka' })],
  ['a bad allowlisted id', base({ http: { allowInstances: ['bad id!'] } })],
  ['a bad destination name', base({ notify: { destinations: { '-x': hook } } })],
  ['a bad route name', withNotify({ routes: { 'a b': { destinations: ['hook'] } } })],
  ['a bad environment variable name', base({ credentials: { ak: { env: '1AK' } } })],
  ['a bad SSM parameter name', base({ credentials: { ak: { ssm: '/a b' } } })],
  ['a bad DynamoDB table name', withNotify({ store: { type: 'dynamodb', table: 'x' } })],
  // Secret sources.
  ['an unknown credentials source', base({ credentials: { source: 'instance-metadata' } })],
  ['functiongraph credentials with an AK', base({ credentials: { source: 'functiongraph', ak: { env: 'AK' } } })],
  ['an access key in CSMS', base({ credentials: { ak: { csms: 'ak' } } })],
  ['a security token in CSMS', base({ credentials: { securityToken: { csms: 'token' } } })],
  ['a reference with both ssm and csms', base({ http: { tokens: [{ ssm: '/a', csms: 'b' }] } })],
  ['a bad CSMS secret name', base({ http: { tokens: [{ csms: 'a/b' }] } })],
  ['a too long CSMS secret name', base({ http: { tokens: [{ csms: 'a'.repeat(65) }] } })],
  ['an empty CSMS secret name', base({ http: { tokens: [{ csms: '' }] } })],
  ['an unknown csms key', base({ csms: { project: P } })],
  ['a bad csms project id', base({ csms: { projectId: '../x' } })],
  ['a bad csms region', base({ csms: { region: 'North 4' } })],
  ['a csms endpoint with a path', base({ csms: { endpoint: 'https://kms.example/v1' } })],
  ['secretsCacheSeconds below 0', base({ secretsCacheSeconds: -1 })],
  ['secretsCacheSeconds above 3600', base({ secretsCacheSeconds: 3601 })],
  ['secretsCacheSeconds not an integer', base({ secretsCacheSeconds: 1.5 })],
];

/** Rules across settings or over the environment that the schema cannot state: the parsers alone refuse these. */
const parserOnly: ReadonlyArray<readonly [string, unknown]> = [
  ['a route naming an unknown destination', withNotify({ routes: { r: { destinations: ['nope'] } } })],
  ['a default route that does not exist', withNotify({ defaultRoutes: ['nope'] })],
  [
    'an instance naming an unknown route',
    { ...withInstance({ id: 'i-1', engine: 'kafka', routes: ['nope'] }), notify: { destinations: { hook } } },
  ],
  [
    'two instances with one id',
    withInstances('cn-north-4', [
      { id: 'a', engine: 'kafka' },
      { id: 'a', engine: 'kafka' },
    ]),
  ],
  [
    'a quiet window in an unknown time zone',
    withNotify({
      routes: {
        r: { destinations: ['hook'], quietHours: [{ start: '22:00', end: '07:00', timeZone: 'Mars/Olympus' }] },
      },
    }),
  ],
  [
    'a quiet window that never ends',
    withNotify({
      routes: { r: { destinations: ['hook'], quietHours: [{ start: '07:00', end: '07:00', timeZone: 'UTC' }] } },
    }),
  ],
  [
    'a silence ending before it starts',
    withNotify({
      silences: [{ id: 's', startsAt: '2026-12-01T02:00Z', endsAt: '2026-12-01T01:00Z', matchers: { tasks: ['a'] } }],
    }),
  ],
  [
    'a silence whose matchers are all empty',
    withNotify({
      silences: [{ id: 's', startsAt: '2026-12-01T00:00Z', endsAt: '2026-12-01T01:00Z', matchers: { tasks: [] } }],
    }),
  ],
  [
    'two silences with one id',
    withNotify({
      silences: [1, 2].map(() => ({
        id: 's',
        startsAt: '2026-12-01T00:00Z',
        endsAt: '2026-12-01T01:00Z',
        matchers: { tasks: ['a'] },
      })),
    }),
  ],
  ['maxCatchUpHours below lookbackHours', withNotify({ lookbackHours: 48, maxCatchUpHours: 24 })],
  ['a DynamoDB store without a table when NOTIFY_TABLE is unset', withNotify({ store: { type: 'dynamodb' } })],
  [
    'a CSMS project not configured, with no region to read it in',
    { projects: { [P]: 'cn-north-4' }, csms: { projectId: Q } },
  ],
];

describe('schema/config.schema.json', () => {
  it('is a valid draft 2020-12 schema', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(ajv.validateSchema(schema)).toBe(true);
  });

  it.each(valid)('accepts %s, as the parsers do', (_name, doc) => {
    expect(schemaErrors(doc)).toBe('');
    expect(() => parseAll(doc)).not.toThrow();
  });

  it.each(invalid)('refuses %s, as the parsers do', (_name, doc) => {
    expect(schemaErrors(doc)).not.toBe('');
    expect(() => parseAll(doc)).toThrow(expect.objectContaining({ name: 'ConfigError' }));
  });

  it.each(parserOnly)('parser only: %s (the schema cannot tell)', (_name, doc) => {
    expect(schemaErrors(doc)).toBe('');
    expect(() => parseAll(doc)).toThrow(expect.objectContaining({ name: 'ConfigError' }));
  });
});

describe('schema and parsers spell the same rules', () => {
  const keysOf = (path: string): string[] => Object.keys(at(path)).sort();
  const levels = (level: keyof typeof CONFIG_KEYS): string[] =>
    [...CONFIG_KEYS[level].core, ...CONFIG_KEYS[level].others].sort();

  it('has the settings the parsers know, at every level', () => {
    expect(keysOf('properties')).toEqual(levels('root'));
    expect(keysOf('$defs.project.properties')).toEqual(levels('project'));
    expect(keysOf('$defs.instance.properties')).toEqual(levels('instance'));
    expect(keysOf('properties.credentials.properties')).toEqual(levels('credentials'));
    expect(keysOf('properties.csms.properties')).toEqual(levels('csms'));
    expect(keysOf('$defs.http.properties')).toEqual([...HTTP_KEYS].sort());
    expect(keysOf('$defs.notify.properties')).toEqual([...NOTIFY_KEYS.notify].sort());
    expect(keysOf('$defs.destination.properties')).toEqual([...NOTIFY_KEYS.destination].sort());
    expect(keysOf('$defs.route.properties')).toEqual([...NOTIFY_KEYS.route].sort());
    expect(keysOf('$defs.filter.properties')).toEqual([...NOTIFY_KEYS.filter].sort());
    const stuckAfter = (at('$defs.notify.properties.stuckAfterMinutes.oneOf') as unknown as Json[])[1] as Json;
    expect(Object.keys(stuckAfter.properties as Json).sort()).toEqual([...NOTIFY_KEYS.stuckAfter].sort());
    expect(keysOf('$defs.quietWindow.properties')).toEqual([...NOTIFY_KEYS.quietWindow].sort());
    expect(keysOf('$defs.silence.properties')).toEqual([...SILENCE_KEYS.silence].sort());
    expect(keysOf('$defs.silence.properties.matchers.properties')).toEqual([...SILENCE_KEYS.matchers].sort());
  });

  it('uses the parsers’ patterns and lists', () => {
    expect(at('$defs.id').pattern).toBe(ID_PATTERN.source);
    expect(at('$defs.name').pattern).toBe(NAME_PATTERN.source);
    expect(at('$defs.secretRef.properties.env').pattern).toBe(ENV_NAME_PATTERN.source);
    expect(at('$defs.secretRef.properties.ssm').pattern).toBe(SSM_NAME_PATTERN.source);
    expect(at('$defs.secretRef.properties.csms').pattern).toBe(CSMS_NAME_PATTERN.source);
    expect(at('properties.csms.properties.region').pattern).toBe(REGION_NAME_PATTERN.source);
    expect(at('properties.credentials.properties.source').enum).toEqual([...CREDENTIAL_SOURCES]);
    const dynamodb = (at('$defs.store.oneOf') as unknown as Json[])[1] as { properties: { table: Json } };
    expect(dynamodb.properties.table.pattern).toBe(TABLE_NAME_PATTERN.source);
    const redis = (at('$defs.store.oneOf') as unknown as Json[])[2] as { properties: Json };
    expect(Object.keys(redis.properties).sort()).toEqual([...REDIS_STORE_KEYS].sort());
    expect(at('$defs.region').enum).toEqual([...DMS_REGIONS]);
    expect(at('$defs.engine').enum).toEqual([...ENGINES]);
    expect(at('$defs.destination.properties.type').enum).toEqual([...DESTINATION_TYPES]);
  });

  it('documents the parsers’ defaults', () => {
    const doc = base({ notify: { destinations: { hook } } });
    const app = parseConfig(doc);
    const httpApp = parseHttpAppConfig(doc);
    const notify = parseNotifyConfig(app, {});
    type Check = [setting: string, documented: unknown, parsed: unknown];
    /** Each setting at `path` with a `default`, beside what the parser made of its absence in `parsed`. */
    const defaults = (path: string, parsed: object, skip: readonly string[] = []): Check[] =>
      Object.entries(at(path)).flatMap(([k, v]): Check[] => {
        if (!('default' in (v as Json)) || skip.includes(k)) return [];
        return [[`${path}.${k}`, (v as Json).default, (parsed as Json)[k]]];
      });
    const hookTimeout = notify.destinations.get('hook')?.timeoutMs;
    const checked: Check[] = [
      ...defaults('properties', app),
      ...defaults('properties.credentials.properties', app.credentials),
      ...defaults('$defs.http.properties', httpApp.http),
      ...defaults('$defs.filter.properties', notify.filter),
      // `destinations` defaults to {}, parsed as an empty Map.
      ...defaults('$defs.notify.properties', notify, ['destinations']),
      ['destination timeoutMs', at('$defs.destination.properties.timeoutMs').default, hookTimeout],
    ];
    expect(checked.length).toBeGreaterThan(15);
    for (const [setting, documented, parsed] of checked) {
      expect({ setting, value: parsed }).toEqual({ setting, value: documented });
    }
  });
});
