import { ConfigError } from '../../config/errors';
import { readSecretRef, readSecretRefList } from '../../config/readers';
import type { SecretRef } from '../../config/types';
import type { DestinationConfig, DestinationType } from '../types';

/** The channels reached at a URL that is itself a secret (a webhook or a chat's incoming hook). */
export type UrlDestinationType = Exclude<DestinationType, 'smn' | 'pagerduty'>;

/**
 * The settings of a destination reached at a secret URL: the URL reference and its signing secrets,
 * as the channel takes them (a webhook at least one `whsec_`, Feishu and DingTalk at most one, Slack,
 * Teams and WeCom none: their URL is the secret).
 */
export function parseUrlDestination(
  type: UrlDestinationType,
  o: Record<string, unknown>,
  path: string,
): Pick<DestinationConfig, 'url' | 'secrets'> {
  for (const k of ['topicUrn', 'endpoint', 'routingKey', 'severity'] as const) {
    if (o[k] !== undefined) throw new ConfigError(`${path}.${k}`, `is for smn or pagerduty, not ${type}`);
  }
  if (o.url === undefined) {
    throw new ConfigError(`${path}.url`, 'is required (a secret reference: {"env": "NAME"} or {"ssm": "/name"})');
  }
  const url = readSecretRef(o.url, `${path}.url`);
  if (o.secret !== undefined && o.secrets !== undefined) {
    throw new ConfigError(`${path}.secrets`, 'give "secret" or "secrets", not both');
  }
  const secrets: SecretRef[] =
    o.secret === undefined
      ? readSecretRefList(o.secrets, `${path}.secrets`)
      : [readSecretRef(o.secret, `${path}.secret`)];
  if (type === 'webhook' && secrets.length === 0) {
    throw new ConfigError(`${path}.secrets`, 'a webhook destination needs at least one signing secret (whsec_...)');
  }
  if ((type === 'feishu' || type === 'dingtalk') && secrets.length > 1) {
    throw new ConfigError(`${path}.secrets`, `${type} takes exactly one signing secret`);
  }
  if ((type === 'slack' || type === 'teams' || type === 'wecom') && secrets.length > 0) {
    throw new ConfigError(`${path}.secret`, `${type} is not signed: its URL is the secret`);
  }
  return { url, secrets };
}
