import { isRecord } from '../core/isRecord';

/** A handler as the packages export it: `(event, context) => Promise<result>`. */
export type PlatformHandler<E = unknown, C = unknown, R = unknown> = (event: E, context: C) => Promise<R>;

/** The settings read from the environment before the configuration is parsed. */
const CONFIG_VARIABLES = ['DMS_TASKS_CONFIG', 'DMS_TASKS_CONFIG_FILE'] as const;

/** The user data FunctionGraph passes as one JSON object in `RUNTIME_USERDATA`, when it does. */
function userDataOf(text: string | undefined): Record<string, string> {
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (!isRecord(parsed)) return {};
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** `context.getUserData(key)`, when the context has it and answers a non-empty string. */
function contextValue(context: unknown, key: string): string | undefined {
  if (!isRecord(context) || typeof context.getUserData !== 'function') return undefined;
  try {
    const value: unknown = context.getUserData(key);
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The entry point of a FunctionGraph package (`index.handler`). FunctionGraph documents a function's
 * environment variables as `context.getUserData(key)` and as the JSON object `RUNTIME_USERDATA`; which
 * of them also reach `process.env` is not documented for the Node.js runtime. So, on the first
 * invocation and before the function's module is loaded (it reads its configuration then), every
 * `RUNTIME_USERDATA` entry and the configuration variables from `getUserData` are copied into
 * `process.env` where it has none; `process.env` wins when both are set. `load` is called once; a
 * failed load (a bad configuration) is retried by the next invocation.
 *
 * @example
 * export const handler = functiongraphEntry(() => require('<project>/functions/list').handler);
 */
export function functiongraphEntry<E, C, R>(
  load: () => PlatformHandler<E, C, R>,
  env: NodeJS.ProcessEnv = process.env,
): PlatformHandler<E, C, R> {
  let handler: PlatformHandler<E, C, R> | undefined;
  return async (event, context) => {
    if (!handler) {
      for (const [key, value] of Object.entries(userDataOf(env.RUNTIME_USERDATA))) if (!env[key]) env[key] = value;
      for (const key of CONFIG_VARIABLES) {
        const value = env[key] ? undefined : contextValue(context, key);
        if (value !== undefined) env[key] = value;
      }
      handler = load();
    }
    return handler(event, context);
  };
}
