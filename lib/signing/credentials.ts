/** AK/SK credentials. Never log or serialise an object of this type. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Set for temporary credentials; sent and signed as `X-Security-Token`. */
  readonly securityToken?: string;
}

export class MissingCredentialsError extends Error {
  override readonly name = 'MissingCredentialsError';
  constructor(readonly missing: readonly string[]) {
    super(`missing credentials: set ${missing.join(' and ')}`);
  }
}

/**
 * Reads credentials from `CLOUD_SDK_AK`, `CLOUD_SDK_SK` and optional `CLOUD_SDK_SECURITY_TOKEN`,
 * the names the official SDK samples use.
 */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): Credentials {
  const ak = env.CLOUD_SDK_AK ?? '';
  const sk = env.CLOUD_SDK_SK ?? '';
  const missing = [ak ? '' : 'CLOUD_SDK_AK', sk ? '' : 'CLOUD_SDK_SK'].filter(Boolean);
  if (missing.length > 0) throw new MissingCredentialsError(missing);
  const token = env.CLOUD_SDK_SECURITY_TOKEN;
  return token
    ? { accessKeyId: ak, secretAccessKey: sk, securityToken: token }
    : { accessKeyId: ak, secretAccessKey: sk };
}
