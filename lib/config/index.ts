export { ConfigError } from './errors';
export type {
  AppConfig,
  CoreConfig,
  CoreInstance,
  CoreProject,
  HttpAppConfig,
  HttpConfig,
  ProjectConfig,
  SecretRef,
  WatchedInstance,
} from './types';
export { ID_PATTERN, NAME_PATTERN } from './constants';
export { readSecretRef } from './readers';
export { CONFIG_KEYS, parseCoreConfig } from './parseCoreConfig';
export { parseConfig } from './parseConfig';
export { HTTP_KEYS, parseHttpAppConfig, parseHttpConfig } from './parseHttpConfig';
export { readConfigDocument } from './readConfigDocument';
export { loadConfig } from './loadConfig';
