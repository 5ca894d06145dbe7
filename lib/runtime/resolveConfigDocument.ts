import { ConfigError } from '../config/errors';
import { InvocationSecrets, type InvocationSecretsOptions } from '../secrets/invocationSecrets';
import { isConfigPointer, parseConfigPointer } from '../config/parseConfigPointer';
import { describeRef, resolveSecret } from '../secrets/resolveSecret';

/**
 * The whole configuration document: `doc` itself, or, when it is a pointer (`configFrom`), the JSON
 * text of the SSM parameter or CSMS secret it names, read with the pointer's credentials (for
 * `"functiongraph"`, this invocation's `context`). Throws `ConfigError` for a bad pointer or a
 * document that is not JSON or is itself a pointer, `SecretResolutionError` when the read fails
 * (never with the value). Call it once per warm instance; a failure is retried by the next call.
 */
export async function resolveConfigDocument(
  doc: unknown,
  context: unknown,
  options: InvocationSecretsOptions = {},
): Promise<unknown> {
  if (!isConfigPointer(doc)) return doc;
  const pointer = parseConfigPointer(doc);
  const secrets = new InvocationSecrets(pointer.secrets, options);
  await secrets.begin(context);
  const text = await resolveSecret(pointer.configFrom, secrets.options);
  const source = describeRef(pointer.configFrom);
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    // The parser's message may quote the text: only the reference is named.
    throw new ConfigError('configFrom', `${source} is not valid JSON`);
  }
  if (isConfigPointer(whole)) throw new ConfigError('configFrom', `${source} is itself a pointer (configFrom)`);
  return whole;
}
