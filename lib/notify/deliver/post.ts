import { parseRetryAfter } from '../../dms/retryAfter';
import { USER_AGENT } from '../constants';
import type { Channel, Outcome, OutgoingRequest } from '../channels/types';
import { nonPublicAddress, type Resolver } from './urlPolicy';

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

/** POSTs one message with a timeout and no redirects. Never throws; failures are outcomes whose reason holds no URL. */
export async function postMessage(
  channel: Channel,
  req: OutgoingRequest,
  options: {
    timeoutMs: number;
    fetch?: typeof fetch;
    now?: () => number;
    signal?: AbortSignal;
    publicOnly?: boolean;
    resolve?: Resolver;
  },
): Promise<Outcome> {
  if (options.publicOnly) {
    // Re-checked at every send: the name may have been re-pointed since the cold start.
    try {
      if (await nonPublicAddress(new URL(req.url).hostname, options.resolve))
        return { kind: 'permanent', reason: 'host resolves to a non-public address' };
    } catch (e) {
      const code = e instanceof Error && 'code' in e ? String(e.code) : 'error';
      return { kind: 'retry', reason: `DNS lookup failed ${code}` };
    }
  }
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const res = await (options.fetch ?? fetch)(req.url, {
      method: 'POST',
      headers: { 'user-agent': USER_AGENT, ...req.headers },
      body: req.body,
      redirect: 'manual',
      signal,
    });
    let text = '';
    try {
      text = (await res.text()).slice(0, 64 * 1024);
    } catch {
      if (res.status >= 200 && res.status < 300) return { kind: 'retry', reason: 'response body cut off' };
    }
    return classifyResponse(channel, res.status, res.headers.get('retry-after'), text, (options.now ?? Date.now)());
  } catch (e) {
    if (timeout.aborted) return { kind: 'retry', reason: `timeout after ${options.timeoutMs} ms` };
    if (options.signal?.aborted) return { kind: 'retry', reason: 'aborted' };
    const code =
      e instanceof Error && e.cause instanceof Error && 'code' in e.cause
        ? String(e.cause.code)
        : e instanceof Error
          ? e.name
          : 'error';
    return { kind: 'retry', reason: `network error ${code}` };
  }
}
