import { ConfigError } from '../../config/errors';
import { readString } from '../../config/readers';
import type { DestinationConfig } from '../types';
import { readBaseUrl } from './readBaseUrl';

/** `urn:smn:{region}:{project_id}:{topic name}`, the form SMN's documentation gives. */
export const SMN_TOPIC_URN = /^urn:smn:[a-z0-9-]+:[0-9a-f]{32}:[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/;

/**
 * The settings of an `smn` destination: its topic, and the endpoint (else the region's); it publishes
 * with the DMS credentials.
 */
export function parseSmnDestination(
  o: Record<string, unknown>,
  path: string,
): Pick<DestinationConfig, 'endpoint' | 'topicUrn' | 'secrets'> {
  for (const k of ['url', 'secret', 'secrets'] as const)
    if (o[k] !== undefined)
      throw new ConfigError(`${path}.${k}`, 'is not for smn: it publishes with the DMS credentials');
  const endpoint = o.endpoint === undefined ? {} : { endpoint: readBaseUrl(o.endpoint, `${path}.endpoint`) };
  for (const k of ['routingKey', 'severity'] as const)
    if (o[k] !== undefined) throw new ConfigError(`${path}.${k}`, 'is for pagerduty, not smn');
  if (o.topicUrn === undefined) throw new ConfigError(`${path}.topicUrn`, 'is required (urn:smn:region:project:name)');
  return { topicUrn: readString(o.topicUrn, `${path}.topicUrn`, SMN_TOPIC_URN), secrets: [], ...endpoint };
}
