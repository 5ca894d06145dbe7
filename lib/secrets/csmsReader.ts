import { isRecord } from '../core/isRecord';
import { SIGNING, buildSignedUrl, signRequest } from '../signing';
import type { CredentialsProvider } from '../signing/credentials';
import { CsmsError } from './csmsError';
import type { CsmsSettings } from '../config/types';

/** Reads the latest version of one CSMS secret by name. */
export type CsmsReader = (name: string) => Promise<string>;

/** What a CSMS reader is built with. */
export interface CsmsReaderOptions extends CsmsSettings {
  /** The credentials of the DMS calls (security token included), read at signing time. */
  readonly credentials: CredentialsProvider;
  /** Timeout of one read (ms). @default 5000 */
  readonly timeoutMs?: number;
  /** Injected for tests. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** Largest answer read: a CSMS secret holds at most 32 KiB, and the answer wraps it in a little JSON. */
const MAX_ANSWER_CHARS = 128 * 1024;

/** `error_code` of an error answer, when it has the usual shape (`CSMS.0001`, `APIGW.0301`). */
function errorCodeOf(text: string): string | undefined {
  try {
    const body: unknown = JSON.parse(text);
    const code = isRecord(body) ? body.error_code : undefined;
    return typeof code === 'string' && /^[A-Z][A-Za-z]{0,15}\.\d{1,8}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A reader of DEW CSMS secrets: `GET /v1/{project_id}/secrets/{secret_name}/versions/latest`,
 * signed with `lib/signing` like the DMS calls, answering the version's `secret_string`. Errors
 * carry the status and error code only: never the value, nor a message that might echo the request.
 *
 * @example
 * const read = createCsmsReader({ ...config.csms, credentials: () => current });
 * const token = await read('dtf-api-tokens');
 */
export function createCsmsReader(options: CsmsReaderOptions): CsmsReader {
  const url = new URL(options.endpoint);
  const doFetch = options.fetch ?? fetch;
  return async (name) => {
    const req = {
      method: 'GET',
      host: url.host,
      pathSegments: ['v1', options.projectId, 'secrets', name, 'versions', 'latest'],
      // As Huawei's SDK sends ShowSecretVersion (evidence/sdk-requests.json): its core sets and signs
      // `content-type: application/json` even on this GET, and the project in `X-Project-Id`.
      headers: { 'content-type': 'application/json', [SIGNING.projectHeader]: options.projectId },
    };
    const headers = signRequest(req, options.credentials());
    delete headers.host; // fetch sets Host itself, to the same value
    let res: Response;
    try {
      res = await doFetch(buildSignedUrl(url.origin, req), {
        method: 'GET',
        headers: { ...headers, Accept: 'application/json' },
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
        redirect: 'manual',
      });
    } catch (cause) {
      const timedOut = cause instanceof Error && cause.name === 'TimeoutError';
      throw new CsmsError(timedOut ? 'read timed out' : 'read failed to connect', undefined, undefined, { cause });
    }
    const text = await res.text();
    if (res.status !== 200) throw new CsmsError('answered an error', res.status, errorCodeOf(text));
    if (text.length > MAX_ANSWER_CHARS) throw new CsmsError('answer too large', res.status);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new CsmsError('answer is not JSON', res.status);
    }
    const version = isRecord(body) ? body.version : undefined;
    const value = isRecord(version) ? version.secret_string : undefined;
    if (typeof value !== 'string') throw new CsmsError('answer has no version.secret_string', res.status);
    return value;
  };
}
