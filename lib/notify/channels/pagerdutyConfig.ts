import { ConfigError } from '../../config/errors';
import { onlyKeys, readMember, readOptionalObject, readSecretRef } from '../../config/readers';
import { PAGERDUTY_DEFAULT_SEVERITY } from '../constants';
import {
  EVENT_KINDS,
  PAGERDUTY_SEVERITIES,
  type DestinationConfig,
  type EventKind,
  type PagerDutySeverity,
} from '../types';
import { readBaseUrl } from './readBaseUrl';

/**
 * The settings of a `pagerduty` destination: the routing key (a secret reference, kept as its one
 * secret), the severity per event kind, and the endpoint (else Events API v2's).
 */
export function parsePagerDutyDestination(
  o: Record<string, unknown>,
  path: string,
): Pick<DestinationConfig, 'endpoint' | 'secrets' | 'severity'> {
  for (const k of ['url', 'secret', 'secrets'] as const)
    if (o[k] !== undefined)
      throw new ConfigError(`${path}.${k}`, 'is not for pagerduty: its routing key is "routingKey"');
  const endpoint = o.endpoint === undefined ? {} : { endpoint: readBaseUrl(o.endpoint, `${path}.endpoint`) };
  if (o.topicUrn !== undefined) throw new ConfigError(`${path}.topicUrn`, 'is for smn, not pagerduty');
  if (o.routingKey === undefined) {
    throw new ConfigError(
      `${path}.routingKey`,
      'is required (a secret reference: {"env": "NAME"} or {"ssm": "/name"})',
    );
  }
  const routingKey = readSecretRef(o.routingKey, `${path}.routingKey`);
  const raw = readOptionalObject(o.severity, `${path}.severity`);
  onlyKeys(raw, `${path}.severity`, EVENT_KINDS);
  const severity = Object.fromEntries(
    EVENT_KINDS.map((k) => [
      k,
      raw[k] === undefined
        ? PAGERDUTY_DEFAULT_SEVERITY[k]
        : readMember(raw[k], `${path}.severity.${k}`, PAGERDUTY_SEVERITIES),
    ]),
  ) as Record<EventKind, PagerDutySeverity>;
  return { secrets: [routingKey], severity, ...endpoint };
}
