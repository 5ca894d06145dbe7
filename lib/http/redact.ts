import type { HttpResponse } from './response';

/** Shortest value worth redacting (shorter ones would mangle unrelated text). */
const MIN_SECRET_LENGTH = 8;

/**
 * Last line of defence: replaces every known secret (AK, SK, security token, bearer tokens) with
 * `[REDACTED]` in a log line or response body. Nothing is meant to contain them in the first place.
 * Secrets read per invocation (FunctionGraph's rotated agency credentials, a re-read token) are
 * added with `with`, for that invocation's lines.
 */
export class Redactor {
  readonly #secrets: readonly string[];
  constructor(secrets: readonly (string | undefined)[]) {
    this.#secrets = [
      ...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH)),
    ].sort((a, b) => b.length - a.length);
  }
  /** A redactor of these secrets and `more` (this one is left as it is). */
  with(more: readonly (string | undefined)[]): Redactor {
    return new Redactor([...this.#secrets, ...more]);
  }
  redact(text: string): string {
    let out = text;
    for (const s of this.#secrets) if (out.includes(s)) out = out.split(s).join('[REDACTED]');
    return out;
  }
  toJSON(): string {
    return '[Redactor]';
  }
}

/**
 * The redactor used until the configured references are known (a configuration that does not load,
 * an early error): the SDK's default credential variables, the default token variable's tokens and
 * any `extra` variable values.
 */
export function defaultVariablesRedactor(
  env: NodeJS.ProcessEnv,
  extra: readonly (string | undefined)[] = [],
): Redactor {
  return new Redactor([
    env.CLOUD_SDK_AK,
    env.CLOUD_SDK_SK,
    env.CLOUD_SDK_SECURITY_TOKEN,
    ...extra,
    ...(env.API_TOKENS ?? '').split(','),
  ]);
}

/** The response with every known secret redacted, in the body and in every header value. */
export function redactResponse(response: HttpResponse, redactor: Redactor): HttpResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) headers[name] = redactor.redact(value);
  return { ...response, headers, body: redactor.redact(response.body) };
}
