import { readConfigDocument } from '../config/readConfigDocument';
import { isRecord } from '../core/isRecord';
import { envReferencesOf } from '../secrets/envReferences';

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
 * `process.env` where it has none; `process.env` wins when both are set. Then every variable the
 * configuration reads through `{"env": NAME}` (and the default ones, `API_TOKENS`, `CLOUD_SDK_AK`, ...)
 * is taken from `getUserData` where the environment lacks it: FunctionGraph documents its encrypted
 * settings only there (`functiongraph_01_0154`), so `{"env": "API_TOKENS"}` with an encrypted
 * `API_TOKENS` reads it. `load` is called once; a failed load (a bad configuration) is retried by the
 * next invocation.
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
      const fromContext = (key: string): void => {
        const value = env[key] ? undefined : contextValue(context, key);
        if (value !== undefined) env[key] = value;
      };
      for (const key of CONFIG_VARIABLES) fromContext(key);
      for (const key of referencedVariables(env)) fromContext(key);
      handler = load();
    }
    return handler(event, context);
  };
}

/**
 * The variables the configuration document reads (`{"env": NAME}` anywhere, and the defaults); only the
 * defaults when the document cannot be read yet (its loader then reports why, naming the setting).
 */
function referencedVariables(env: NodeJS.ProcessEnv): string[] {
  try {
    return envReferencesOf(readConfigDocument(env));
  } catch {
    return envReferencesOf(undefined);
  }
}
