import { SDK_ENDPOINT_EXCEPTIONS } from './sdkRegions.generated';

/** The host prefixes of the Huawei services this project calls: DMS (all three engines), SMN, KMS/CSMS. */
export type HuaweiServiceHost = 'dms' | 'smn' | 'kms';

/**
 * A Huawei service's endpoint in a region as Huawei's SDK region tables give it: the recorded
 * exception where the SDK lists one (`.eu` for `eu-west-101`, `.cn` for SMN in `cn-north-2`), else
 * `https://{service}.{region}.myhuaweicloud.com`. The tables are recorded from the SDK source by
 * scripts/evidence/record-sdk-regions.ts (lib/core/sdkRegions.generated.ts). Whether the region is
 * served at all is the caller's check.
 */
export function sdkEndpoint(service: HuaweiServiceHost, region: string): string {
  return SDK_ENDPOINT_EXCEPTIONS[`${service}.${region}`] ?? `https://${service}.${region}.myhuaweicloud.com`;
}
