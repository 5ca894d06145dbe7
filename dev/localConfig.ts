import { randomBytes } from 'node:crypto';
import { EMULATOR_CREDENTIALS, SEED } from './emulator';

/**
 * The configuration document for a local run against the emulator: every seed project with its
 * region and instances (so `allowInstances: "watched"` and the notifier see them), the emulator as
 * the endpoint, credentials and tokens by environment reference. Validated by `parseConfig` and
 * `parseHttpAppConfig` like any other configuration.
 */
export interface LocalConfigOptions {
  /** The emulator's base URL. */
  readonly endpoint: string;
  /** @default 'start' */
  readonly offsetParam?: 'start' | 'offset';
  /** Offset of the first task, as the emulator counts (its default, like Huawei's code, is 1). @default 1 */
  readonly offsetBase?: 0 | 1;
  /** Tasks per page of the pager (the notifier's scan, `all=true` without `limit`). @default 100 */
  readonly pageSize?: number;
  /** @default 'any' */
  readonly allowInstances?: 'any' | 'watched' | readonly string[];
  /** @default true */
  readonly authRequired?: boolean;
  /**
   * DMS requests per second per access key (the shared request budget). The local emulator has no
   * limit unless one is set, so local runs, tests and the bench are not slowed by the cloud default.
   * @default 1000
   */
  readonly requestsPerSecond?: number;
  /** Per-attempt upstream timeout. @default 5000 */
  readonly timeoutMs?: number;
  /** The `notify` section (the notifier's own format); left out when undefined. */
  readonly notify?: unknown;
}

export function buildLocalConfig(options: LocalConfigOptions): Record<string, unknown> {
  const projects: Record<string, unknown> = {};
  for (const p of SEED.projects) {
    projects[p.project_id] = {
      region: p.region,
      instances: p.instances.map((i) => ({ id: i.instance_id, engine: i.engine, name: i.name })),
    };
  }
  return {
    endpoint: options.endpoint,
    offsetParam: options.offsetParam ?? 'start',
    offsetBase: options.offsetBase ?? 1,
    pageSize: options.pageSize ?? 100,
    requestsPerSecond: options.requestsPerSecond ?? 1000,
    timeoutMs: options.timeoutMs ?? 5000,
    credentials: { ak: { env: 'CLOUD_SDK_AK' }, sk: { env: 'CLOUD_SDK_SK' } },
    projects,
    http: {
      authRequired: options.authRequired ?? true,
      tokens: [{ env: 'API_TOKENS' }],
      allowInstances: options.allowInstances ?? 'any',
    },
    ...(options.notify !== undefined ? { notify: options.notify } : {}),
  };
}

/** A fresh random bearer token (URL-safe, 32 characters). */
export function randomToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The environment the functions need locally: the config document, the emulator's AK/SK, the tokens. */
export function localEnvironment(config: Record<string, unknown>, tokens: readonly string[]): Record<string, string> {
  return {
    DMS_TASKS_CONFIG: JSON.stringify(config),
    CLOUD_SDK_AK: EMULATOR_CREDENTIALS.accessKeyId,
    CLOUD_SDK_SK: EMULATOR_CREDENTIALS.secretAccessKey,
    API_TOKENS: tokens.join(','),
  };
}

/**
 * The `notify` section for a local run: one destination of each signed kind plus Slack, all on the
 * local webhook sink (`allowInsecureWebhooks`), a file store under `.state/`, and the environment
 * holding their URLs and secrets (references only in the document, as in production). `statePath`
 * is the file store's file (`npm start` gives each run its own unless `--keep-state`).
 */
export function localNotify(
  sinkUrl: string,
  statePath = '.state/notify-local.json',
): {
  notify: Record<string, unknown>;
  env: Record<string, string>;
  secrets: Record<string, string>;
} {
  const whsec = `whsec_${randomBytes(24).toString('base64')}`;
  const botSecret = `SEC${randomBytes(16).toString('hex')}`;
  return {
    notify: {
      destinations: {
        hook: { type: 'webhook', url: { env: 'LOCAL_HOOK_URL' }, secrets: [{ env: 'LOCAL_HOOK_SECRET' }] },
        slack: { type: 'slack', url: { env: 'LOCAL_SLACK_URL' } },
        feishu: { type: 'feishu', url: { env: 'LOCAL_FEISHU_URL' }, secret: { env: 'LOCAL_BOT_SECRET' } },
        dingtalk: { type: 'dingtalk', url: { env: 'LOCAL_DINGTALK_URL' }, secret: { env: 'LOCAL_BOT_SECRET' } },
      },
      routes: { all: { destinations: ['hook', 'slack', 'feishu', 'dingtalk'] } },
      store: { type: 'file', path: statePath },
      allowInsecureWebhooks: true,
    },
    env: {
      LOCAL_HOOK_URL: `${sinkUrl}/webhook/hook`,
      LOCAL_HOOK_SECRET: whsec,
      LOCAL_SLACK_URL: `${sinkUrl}/slack/slack`,
      LOCAL_FEISHU_URL: `${sinkUrl}/feishu/feishu`,
      LOCAL_DINGTALK_URL: `${sinkUrl}/dingtalk/dingtalk`,
      LOCAL_BOT_SECRET: botSecret,
    },
    secrets: { hook: whsec, feishu: botSecret, dingtalk: botSecret },
  };
}
