import type { CoreConfig } from '../config/types';
import type { Credentials } from '../signing/credentials';
import { resolveSecret, type SecretOptions } from './resolveSecret';

/**
 * Resolves the cloud credentials named by the configuration's references (each read kept for
 * `options.cache`'s lifetime, when given). With `credentials.source` `"functiongraph"` there are no
 * references: those come from each invocation's context (`InvocationSecrets`).
 */
export async function resolveCredentials(
  config: Pick<CoreConfig, 'credentials'>,
  options: SecretOptions = {},
): Promise<Credentials> {
  const creds = config.credentials;
  if (creds.source !== 'references') {
    throw new TypeError('credentials.source "functiongraph": the credentials come from the invocation context');
  }
  const [accessKeyId, secretAccessKey] = await Promise.all([
    resolveSecret(creds.ak, options),
    resolveSecret(creds.sk, options),
  ]);
  const tokenRef = creds.securityToken;
  // The token is optional: only a reference that was set explicitly to SSM must resolve.
  const securityToken = !tokenRef
    ? undefined
    : 'env' in tokenRef
      ? (options.env ?? process.env)[tokenRef.env]
      : await resolveSecret(tokenRef, options);
  return securityToken ? { accessKeyId, secretAccessKey, securityToken } : { accessKeyId, secretAccessKey };
}
