import { sdkEndpoint } from '../core/sdkEndpoint';

/**
 * Constants of the secret settings: credential sources, CSMS secret names, the secrets cache. The
 * JSON Schema (`schema/config.schema.json`) repeats them and `test/config/schema.test.ts` checks that
 * both spell them the same.
 */

/**
 * Where the cloud credentials come from: `references` (AK/SK from secret references, the default
 * and the only way on AWS Lambda) or `functiongraph` (the function agency's temporary credentials,
 * read from each invocation's context; no AK/SK anywhere).
 */
export const CREDENTIAL_SOURCES = ['references', 'functiongraph'] as const;
export type CredentialSource = (typeof CREDENTIAL_SOURCES)[number];

/** `{"csms": NAME}`: what CSMS allows in a secret name (letters, digits, `_`, `-`, `.`; 1 to 64). */
export const CSMS_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** A region name as Huawei Cloud spells them (`cn-north-4`, `ap-southeast-3`, `eu-west-101`). */
export const REGION_NAME_PATTERN = /^[a-z]{2,}(-[a-z0-9]+)+$/;

/**
 * How long a secret read is kept (seconds). Five minutes: a rotated bearer token, webhook secret or
 * key takes effect within five minutes on every warm instance, while each secret is read at most
 * once per five minutes per instance (each SSM or CSMS read costs a request against the account's
 * quota and tens of milliseconds of the invocation that misses).
 */
export const DEFAULT_SECRETS_CACHE_SECONDS = 300;

/** `secretsCacheSeconds`: 0 reads every secret on every invocation; at most an hour. */
export const SECRETS_CACHE_RANGE = { min: 0, max: 3600 } as const;

/**
 * The CSMS endpoint of a region: the `kms` service host (Huawei's DEW API reference), as the SDK's
 * `CsmsRegion.ts` and `KmsRegion.ts` give it (`.eu` for `eu-west-101`, else `.com`; lib/core/sdkEndpoint.ts).
 */
export function csmsEndpointForRegion(region: string): string {
  return sdkEndpoint('kms', region);
}
