import { SecretResolutionError } from './errors';
import type { SecretRef } from './types';

/** Reads SSM parameters; the default loads `@aws-sdk/client-ssm` (provided by the Lambda runtime) on first use. */
export type SsmReader = (name: string) => Promise<string>;

export function describeRef(ref: SecretRef): string {
  return 'env' in ref ? `env:${ref.env}` : `ssm:${ref.ssm}`;
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

/** Resolves a secret reference. Errors name the reference, never the value. */
export async function resolveSecret(
  ref: SecretRef,
  options: { env?: NodeJS.ProcessEnv; ssm?: SsmReader } = {},
): Promise<string> {
  if ('env' in ref) {
    const value = (options.env ?? process.env)[ref.env];
    if (value === undefined || value === '')
      throw new SecretResolutionError(describeRef(ref), 'environment variable is not set');
    return value;
  }
  try {
    const value = await (options.ssm ?? defaultSsmReader())(ref.ssm);
    if (value === '') throw new Error('parameter is empty');
    return value;
  } catch (cause) {
    const problem = cause instanceof Error ? cause.name : 'error';
    throw new SecretResolutionError(describeRef(ref), `SSM read failed (${problem})`, { cause });
  }
}
