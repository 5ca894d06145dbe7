import { lazyOnce } from '../core/once';
import type { InvocationSecretsOptions } from '../secrets/invocationSecrets';
import { isConfigPointer, parseConfigPointer } from '../config/parseConfigPointer';
import { readConfigDocument } from '../config/readConfigDocument';
import { resolveConfigDocument } from './resolveConfigDocument';

/** One function's configuration, as `loadConfigWith` gives it. */
export interface ConfigLoader<T> {
  /** The configuration, parsed at cold start; absent when the document is a pointer (`configFrom`). */
  readonly atColdStart: T | undefined;
  /**
   * The configuration for an invocation: `atColdStart`, or the pointed-to document read and parsed on
   * the first call (with that invocation's context, for FunctionGraph credentials) and kept while
   * warm; a failed read or parse is not kept, so the next invocation tries again.
   */
  readonly forInvocation: (context: unknown) => Promise<T>;
}

/**
 * Reads the configuration document (`readConfigDocument`) and parses it with the function's own
 * `parse` now, at cold start, so a bad setting fails with its path before any invocation. A pointer
 * is validated now and resolved on the first invocation. Throws `ConfigError` for a bad document.
 *
 * @example
 * const config = loadConfigWith(parseHttpAppConfig, env, { env });
 * const app = await config.forInvocation(context);
 */
export function loadConfigWith<T>(
  parse: (doc: unknown) => T,
  env: NodeJS.ProcessEnv,
  secretOptions: InvocationSecretsOptions,
): ConfigLoader<T> {
  const doc = readConfigDocument(env);
  if (!isConfigPointer(doc)) {
    const atColdStart = parse(doc);
    return { atColdStart, forInvocation: async () => atColdStart };
  }
  parseConfigPointer(doc);
  const late = lazyOnce(async (context: unknown) => parse(await resolveConfigDocument(doc, context, secretOptions)));
  return { atColdStart: undefined, forInvocation: late };
}
