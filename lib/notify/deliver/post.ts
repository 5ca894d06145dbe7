import { parseRetryAfter } from '../../dms/retryAfter';
import { USER_AGENT } from '../constants';
import type { Channel, Outcome, OutgoingRequest } from '../channels/types';
import { NonPublicAddressError } from '../errors';
import { ANSWER_BODY_LIMIT, type HttpAnswer, httpPost } from './httpPost';
import { resolvePublic, type Resolver } from './urlPolicy';

/**
 * Reads an HTTP answer (Standard Webhooks and the platforms' docs): 2xx then the platform body;
 * 429, 408 and 5xx retried (with `Retry-After`); 410 gone; 3xx not followed; other 4xx permanent.
 */
export function classifyResponse(
  channel: Channel,
  status: number,
  retryAfter: string | null,
  text: string,
  now: number,
): Outcome {
  if (status >= 200 && status < 300) return channel.readBody(text);
  const own = channel.readError?.(status, text);
  if (own) return own;
  const retryAfterMs = parseRetryAfter(retryAfter, now);
  const withRA = retryAfterMs !== undefined ? { retryAfterMs } : {};
  if (status === 429 || status === 408 || status >= 500) return { kind: 'retry', reason: `HTTP ${status}`, ...withRA };
  if (status === 410) return { kind: 'permanent', reason: 'HTTP 410 (endpoint gone)' };
  if (status >= 300 && status < 400)
    return { kind: 'permanent', reason: `HTTP ${status} (redirects are not followed)` };
  return { kind: 'permanent', reason: `HTTP ${status}` };
}

/**
 * POSTs one message with a timeout and no redirects. Never throws; failures are outcomes whose reason
 * holds no URL. With `publicOnly` (the URL policy, `allowInsecureWebhooks` off) the host is resolved
 * once, every address must be public ({@link resolvePublic}), and the connection goes to those
 * addresses: a second lookup never happens, so DNS rebinding cannot move it.
 */
export async function postMessage(
  channel: Channel,
  req: OutgoingRequest,
  options: {
    timeoutMs: number;
    /** Replaces the transport (tests wrap the global `fetch`); it connects by itself. @default node:http(s) */
    fetch?: typeof fetch;
    now?: () => number;
    signal?: AbortSignal;
    publicOnly?: boolean;
    resolve?: Resolver;
    /** Told the receiver's HTTP status when one arrived (a test notification reports it). */
    onStatus?: (status: number) => void;
  },
): Promise<Outcome> {
  const url = new URL(req.url);
  let addresses: readonly string[] | undefined;
  if (options.publicOnly) {
    // Judged at every send: the name may have been re-pointed since the cold start.
    try {
      addresses = await resolvePublic(url.hostname, options.resolve);
    } catch (e) {
      if (e instanceof NonPublicAddressError) return { kind: 'permanent', reason: e.message };
      return { kind: 'retry', reason: `DNS lookup failed ${errorCode(e)}` };
    }
  }
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const headers = { 'user-agent': USER_AGENT, ...req.headers };
  try {
    const answer = options.fetch
      ? await viaFetch(options.fetch, req.url, headers, req.body, signal)
      : await httpPost(url, headers, req.body, { signal, ...(addresses ? { addresses } : {}) });
    options.onStatus?.(answer.status);
    if (!answer.complete && answer.status >= 200 && answer.status < 300)
      return { kind: 'retry', reason: 'response body cut off' };
    return classifyResponse(channel, answer.status, answer.retryAfter, answer.text, (options.now ?? Date.now)());
  } catch (e) {
    if (timeout.aborted) return { kind: 'retry', reason: `timeout after ${options.timeoutMs} ms` };
    if (options.signal?.aborted) return { kind: 'retry', reason: 'aborted' };
    return { kind: 'retry', reason: `network error ${errorCode(e)}` };
  }
}

/** The same answer through an injected `fetch`. */
async function viaFetch(
  fetchFn: typeof fetch,
  url: string,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<HttpAnswer> {
  const res = await fetchFn(url, { method: 'POST', headers, body, redirect: 'manual', signal });
  const retryAfter = res.headers.get('retry-after');
  try {
    return { status: res.status, retryAfter, text: (await res.text()).slice(0, ANSWER_BODY_LIMIT), complete: true };
  } catch {
    return { status: res.status, retryAfter, text: '', complete: false };
  }
}

/** A system error's code (`ECONNREFUSED`, `ENOTFOUND`; fetch wraps it as `cause`), else the error's name. */
function errorCode(e: unknown): string {
  if (e instanceof Error && 'code' in e && typeof e.code === 'string') return e.code;
  if (e instanceof Error && e.cause instanceof Error && 'code' in e.cause) return String(e.cause.code);
  return e instanceof Error ? e.name : 'error';
}
