export { SecretResolutionError } from './errors';
export { resolveSecret, defaultSsmReader, describeRef, type SsmReader } from './resolveSecret';
export { resolveCredentials } from './resolveCredentials';
