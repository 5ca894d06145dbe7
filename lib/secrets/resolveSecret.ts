import type { CsmsReader } from './csmsReader';
import { SecretResolutionError } from './errors';
import type { SecretCache } from './secretCache';
import type { SecretRef } from '../config/types';

/** Reads SSM parameters; the default loads `@aws-sdk/client-ssm` (provided by the Lambda runtime) on first use. */
export type SsmReader = (name: string) => Promise<string>;

/** Where secret references are read, and whether the reads are kept. */
export interface SecretOptions {
  /** Where `{"env": ...}` is read. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Reader of `{"ssm": ...}`. @default `defaultSsmReader()` */
  readonly ssm?: SsmReader;
  /**
   * Reader of `{"csms": ...}` (`createCsmsReader`, with the functions' credentials). @default none:
   * a CSMS reference fails to resolve, naming the reference
   */
  readonly csms?: CsmsReader;
  /** Keeps each read for a bounded time (`secretsCacheSeconds`). @default none: every call reads */
  readonly cache?: SecretCache;
}

/** The reference as errors and cache keys name it (`env:NAME`, `ssm:/name`, `csms:name`): never a value. */
export function describeRef(ref: SecretRef): string {
  if ('env' in ref) return `env:${ref.env}`;
  return 'ssm' in ref ? `ssm:${ref.ssm}` : `csms:${ref.csms}`;
}

type SsmSdk = typeof import('@aws-sdk/client-ssm');

let defaultReader: SsmReader | undefined;

/**
 * The default SSM reader, created once per cold start, with one `SSMClient` built on the first read
 * and reused by later ones (its connections and credentials too). `AWS_ENDPOINT_URL_SSM` points it
 * elsewhere (tests).
 */
export function defaultSsmReader(): SsmReader {
  if (defaultReader) return defaultReader;
  let sdk: SsmSdk | undefined;
  let client: InstanceType<SsmSdk['SSMClient']> | undefined;
  defaultReader = async (name) => {
    // A plain require (the bundles are CommonJS and keep the SDK external): `await import()` would make
    // the bundler add its ESM interop helpers to every function for this one call.
    sdk ??= require('@aws-sdk/client-ssm') as SsmSdk;
    client ??= new sdk.SSMClient({});
    const out = await client.send(new sdk.GetParameterCommand({ Name: name, WithDecryption: true }));
    const value = out.Parameter?.Value;
    if (value === undefined) throw new Error('parameter has no value');
    return value;
  };
  return defaultReader;
}

/** The failure's kind for a message: the error's name (and a CSMS status), never its text or a value. */
function problemOf(cause: unknown): string {
  if (!(cause instanceof Error)) return 'error';
  if (cause.name === 'CsmsError') return cause.message;
  return cause.name;
}

/** One read of a reference from its source, uncached. */
async function readRef(ref: SecretRef, options: SecretOptions): Promise<string> {
  if ('env' in ref) {
    const value = (options.env ?? process.env)[ref.env];
    if (value === undefined || value === '')
      throw new SecretResolutionError(describeRef(ref), 'environment variable is not set');
    return value;
  }
  const [source, read, name] =
    'ssm' in ref
      ? (['SSM', options.ssm ?? defaultSsmReader(), ref.ssm] as const)
      : (['CSMS', options.csms, ref.csms] as const);
  if (!read) throw new SecretResolutionError(describeRef(ref), `no ${source} reader configured`);
  let value: string;
  try {
    value = await read(name);
  } catch (cause) {
    throw new SecretResolutionError(describeRef(ref), `${source} read failed (${problemOf(cause)})`, { cause });
  }
  if (value === '') throw new SecretResolutionError(describeRef(ref), `${source} value is empty`);
  return value;
}

/**
 * Resolves a secret reference; with `options.cache`, a read is kept for the cache's lifetime and a
 * failed one is not kept (the next call reads again). Errors name the reference, never the value.
 */
export function resolveSecret(ref: SecretRef, options: SecretOptions = {}): Promise<string> {
  const { cache } = options;
  return cache ? cache.get(describeRef(ref), () => readRef(ref, options)) : readRef(ref, options);
}
