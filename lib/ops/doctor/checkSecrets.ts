import type { SecretRef } from '../../config/types';
import { type CheckResult, ok, problem } from '../../core/checkResult';
import { describeRef } from '../../secrets/resolveSecret';
import type { FoundRef } from './secretRefs';

/** The permission (or setting) a reference of each kind needs, named in the fix sentence. */
function fixFor(ref: SecretRef): string {
  if ('env' in ref)
    return (
      `Set the environment variable ${ref.env} on the function (FunctionGraph: an encrypted setting is read ` +
      `through the context).`
    );
  if ('ssm' in ref)
    return (
      `Create the SSM parameter ${ref.ssm} in the function's region and grant the role ssm:GetParameter on it ` +
      '(and kms:Decrypt for a SecureString).'
    );
  return (
    `Create the CSMS secret ${ref.csms} and grant the agency csms:secretVersion:get and kms:dek:decrypt ` +
    `(role/policy model) or csms:secret:getVersion (identity policies).`
  );
}

/**
 * One row per distinct reference: readable or not. Never the value: an `ok` row says only that it was
 * read, and a failure's evidence is the resolver's own message, which names the reference, never a value.
 */
export async function checkSecrets(
  refs: readonly FoundRef[],
  resolve: (ref: SecretRef) => Promise<string>,
  env: NodeJS.ProcessEnv,
): Promise<CheckResult[]> {
  const unique = new Map<string, FoundRef[]>();
  for (const r of refs) unique.set(describeRef(r.ref), [...(unique.get(describeRef(r.ref)) ?? []), r]);
  return Promise.all(
    [...unique].map(async ([name, uses]): Promise<CheckResult> => {
      const first = uses[0];
      const where = uses.map((u) => u.path).join(', ');
      if (!first) return ok('secret.readable', name, 'no use');
      if (first.optional && 'env' in first.ref && !env[first.ref.env]) {
        return ok('secret.readable', name, `not set (optional; used by ${where})`);
      }
      try {
        const value = await resolve(first.ref);
        if (value === '') return problem('secret.readable', name, `empty (used by ${where})`, fixFor(first.ref));
        return ok('secret.readable', name, `readable (used by ${where})`);
      } catch (err) {
        const message = err instanceof Error ? err.message : 'unreadable';
        return problem('secret.readable', name, `${message} (used by ${where})`, fixFor(first.ref));
      }
    }),
  );
}
