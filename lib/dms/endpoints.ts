import { UnknownRegionError } from './errors';
import type { Engine } from './types';

/** Regions the official SDKs list for Kafka and RocketMQ (34). */
export const KAFKA_ROCKETMQ_REGIONS = [
  'af-north-1',
  'af-south-1',
  'ae-ad-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'cn-east-2',
  'cn-east-3',
  'cn-east-4',
  'cn-east-5',
  'cn-north-1',
  'cn-north-2',
  'cn-north-4',
  'cn-north-9',
  'cn-north-11',
  'cn-north-12',
  'cn-south-1',
  'cn-south-2',
  'cn-south-4',
  'cn-southwest-2',
  'cn-southwest-3',
  'eu-west-0',
  'eu-west-101',
  'la-north-2',
  'la-south-2',
  'me-east-1',
  'my-kualalumpur-1',
  'na-mexico-1',
  'ru-moscow-1',
  'ru-northwest-2',
  'sa-brazil-1',
  'tr-west-1',
] as const;

/** RabbitMQ lacks eight of them (26 regions). */
const RABBITMQ_MISSING: ReadonlySet<string> = new Set([
  'cn-east-4',
  'af-north-1',
  'ap-southeast-5',
  'ru-moscow-1',
  'cn-south-4',
  'cn-north-11',
  'cn-north-12',
  'cn-southwest-3',
]);

export const RABBITMQ_REGIONS: readonly string[] = /* @__PURE__ */ KAFKA_ROCKETMQ_REGIONS.filter(
  (r) => !RABBITMQ_MISSING.has(r),
);

const ALL: ReadonlySet<string> = new Set(KAFKA_ROCKETMQ_REGIONS);

export function isKnownRegion(region: string, engine?: Engine): boolean {
  return engine === 'rabbitmq' ? ALL.has(region) && !RABBITMQ_MISSING.has(region) : ALL.has(region);
}

/**
 * The DMS endpoint of a region: `https://dms.{region}.myhuaweicloud.com`, except `eu-west-101` on `.eu`.
 * The same host serves all three engines. Throws `UnknownRegionError` for a region not listed.
 */
export function endpointForRegion(region: string, engine?: Engine): string {
  if (!isKnownRegion(region, engine)) throw new UnknownRegionError(region, engine);
  return region === 'eu-west-101'
    ? `https://dms.${region}.myhuaweicloud.eu`
    : `https://dms.${region}.myhuaweicloud.com`;
}
