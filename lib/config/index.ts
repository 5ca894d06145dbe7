export { ConfigError, SecretResolutionError } from './errors';
export type { AppConfig, HttpConfig, ProjectConfig, SecretRef, WatchedInstance } from './types';
export { parseConfig, parseSecretRef, ID_PATTERN } from './parseConfig';
export { loadConfig } from './loadConfig';
export { resolveSecret, defaultSsmReader, describeRef, type SsmReader } from './resolveSecret';
export { resolveCredentials, clientForProject, clientOptionsFor } from './clientFor';
