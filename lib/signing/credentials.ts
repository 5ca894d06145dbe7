/** AK/SK credentials. Never log or serialise an object of this type. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Set for temporary credentials; sent and signed as `X-Security-Token`. */
  readonly securityToken?: string;
}

/**
 * The credentials to sign with now: called at signing time, so credentials that the platform
 * rotates (FunctionGraph's agency credentials, read from each invocation's context) are picked up by
 * a client built once.
 */
export type CredentialsProvider = () => Credentials;

export class MissingCredentialsError extends Error {
  override readonly name = 'MissingCredentialsError';
  constructor(readonly missing: readonly string[]) {
    super(`missing credentials: set ${missing.join(' and ')}`);
  }
}

/**
 * The configuration asks for the invocation context's credentials (`credentials.source`
 * `"functiongraph"`) and the context has none: not running on FunctionGraph (AWS Lambda, a local
 * run), or the function has no agency. `missing` names the context methods, never a value.
 */
export class MissingContextCredentialsError extends Error {
  override readonly name = 'MissingContextCredentialsError';
  constructor(readonly missing: readonly string[]) {
    super(
      `credentials.source is "functiongraph" but the invocation context gives no ${missing.join(', ')}: ` +
        'run on FunctionGraph with an agency, or use credentials references (ak, sk) instead',
    );
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

/**
 * The context methods of a FunctionGraph invocation that give the function agency's temporary
 * credentials (valid 24 h, rotated by the platform; not in the environment).
 */
export interface AgencyCredentialsContext {
  getSecurityAccessKey?: () => string;
  getSecuritySecretKey?: () => string;
  getSecurityToken?: () => string;
}

const CONTEXT_METHODS = ['getSecurityAccessKey', 'getSecuritySecretKey', 'getSecurityToken'] as const;

/**
 * The agency's temporary credentials from one FunctionGraph invocation context. Read on every
 * invocation: the platform rotates them. Throws `MissingContextCredentialsError` (naming the methods,
 * never a value) when a method is absent or gives an empty value.
 */
export function credentialsFromContext(context: unknown): Credentials {
  const c = (typeof context === 'object' && context !== null ? context : {}) as AgencyCredentialsContext;
  const values = CONTEXT_METHODS.map((m) => {
    const read = c[m];
    const value = typeof read === 'function' ? read.call(c) : undefined;
    return typeof value === 'string' ? value : '';
  });
  const missing = CONTEXT_METHODS.filter((_, i) => values[i] === '');
  if (missing.length > 0) throw new MissingContextCredentialsError(missing.map((m) => `${m}()`));
  const [accessKeyId = '', secretAccessKey = '', securityToken = ''] = values;
  return { accessKeyId, secretAccessKey, securityToken };
}
