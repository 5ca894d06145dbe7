import { NAME_PATTERN } from '../../config/constants';
import { ConfigError } from '../../config/errors';
import { onlyKeys, readMember, readNumber, readObject } from '../../config/readers';
import { DESTINATION_DEFAULTS, NOTIFY_DEFAULTS } from '../constants';
import { DESTINATION_TYPES, type DestinationConfig } from '../types';
import { parsePagerDutyDestination } from './pagerdutyConfig';
import { parseSmnDestination } from './smnConfig';
import { parseUrlDestination } from './urlDestinationConfig';

/** The settings of a destination (the JSON Schema's test compares its own with these). */
export const DESTINATION_KEYS = [
  'type',
  'url',
  'secret',
  'secrets',
  'ratePerMinute',
  'maxBodyBytes',
  'timeoutMs',
  'topicUrn',
  'endpoint',
  'routingKey',
  'severity',
] as const;

/**
 * One `notify.destinations` entry: its id, the limits every channel shares (rate, body size, timeout,
 * defaults per type), then the channel's own settings, parsed by the channel's module.
 */
export function parseDestination(id: string, v: unknown, path: string): DestinationConfig {
  if (!NAME_PATTERN.test(id)) throw new ConfigError(path, `destination id "${id}" must match ${NAME_PATTERN}`);
  const o = readObject(v, path);
  onlyKeys(o, path, DESTINATION_KEYS);
  const type = readMember(o.type, `${path}.type`, DESTINATION_TYPES);
  const d = DESTINATION_DEFAULTS[type];
  const limits = {
    ratePerMinute: readNumber(o.ratePerMinute, `${path}.ratePerMinute`, d.ratePerMinute, { min: 1, max: 6000 }),
    maxBodyBytes: readNumber(o.maxBodyBytes, `${path}.maxBodyBytes`, d.maxBodyBytes, { min: 1024, max: 1024 * 1024 }),
    timeoutMs: readNumber(o.timeoutMs, `${path}.timeoutMs`, NOTIFY_DEFAULTS.postTimeoutMs, { min: 100, max: 60_000 }),
  };
  if (type === 'smn') return { id, type, ...parseSmnDestination(o, path), ...limits };
  if (type === 'pagerduty') return { id, type, ...parsePagerDutyDestination(o, path), ...limits };
  return { id, type, ...parseUrlDestination(type, o, path), ...limits };
}
