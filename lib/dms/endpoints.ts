import { sdkEndpoint } from '../core/sdkEndpoint';
import { KAFKA_SDK_REGIONS, RABBITMQ_SDK_REGIONS, ROCKETMQ_SDK_REGIONS } from '../core/sdkRegions.generated';
import { UnknownRegionError } from './errors';
import type { Engine } from './types';

/**
 * The regions Huawei's SDK serves each engine in (its `KafkaRegion.ts`, `RocketMQRegion.ts`,
 * `RabbitMQRegion.ts`, recorded by scripts/evidence/record-sdk-regions.ts; evidence/sdk-regions.json).
 */
export const REGIONS_BY_ENGINE: Readonly<Record<Engine, readonly string[]>> = {
  kafka: KAFKA_SDK_REGIONS,
  rocketmq: ROCKETMQ_SDK_REGIONS,
  rabbitmq: RABBITMQ_SDK_REGIONS,
};

/** Every region any engine is served in, sorted (the configuration schema's `region` enum). */
export const DMS_REGIONS: readonly string[] = /* @__PURE__ */ [
  ...new Set([...KAFKA_SDK_REGIONS, ...ROCKETMQ_SDK_REGIONS, ...RABBITMQ_SDK_REGIONS]),
].sort();

/** The regions RabbitMQ is served in. */
export const RABBITMQ_REGIONS: readonly string[] = RABBITMQ_SDK_REGIONS;

export function isKnownRegion(region: string, engine?: Engine): boolean {
  return (engine ? REGIONS_BY_ENGINE[engine] : DMS_REGIONS).includes(region);
}

/**
 * The DMS endpoint of a region as the SDK's tables give it: `https://dms.{region}.myhuaweicloud.com`,
 * except `eu-west-101` on `.eu`. The same host serves all three engines. Throws `UnknownRegionError`
 * for a region the SDK does not list for the engine.
 */
export function endpointForRegion(region: string, engine?: Engine): string {
  if (!isKnownRegion(region, engine)) throw new UnknownRegionError(region, engine);
  return sdkEndpoint('dms', region);
}
