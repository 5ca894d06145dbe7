import { type CheckResult, ok, problem, unknown } from '../../core/checkResult';

/**
 * Huawei's API gateway refuses a signature whose `X-Sdk-Date` is more than 15 minutes from its clock
 * (API signing guide, "APIG.0201 … Request expired"); warn well before that.
 * @default 300 s
 */
const MAX_SKEW_SECONDS = 300;

/**
 * The local clock against upstream's `Date` header, read from an unsigned request to the endpoint's
 * origin (any answer carries a `Date`; nothing is signed or sent but the path `/`).
 */
export async function checkClock(
  origin: string,
  now: () => number,
  fetchFn: typeof fetch = fetch,
  timeoutMs = 5000,
): Promise<CheckResult> {
  const subject = new URL(origin).host;
  try {
    const before = now();
    const res = await fetchFn(new URL('/', origin), { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
    const after = now();
    await res.body?.cancel();
    const date = res.headers.get('date');
    const upstream = date ? Date.parse(date) : Number.NaN;
    if (!Number.isFinite(upstream)) {
      return unknown(
        'clock.skew',
        subject,
        `no Date header (HTTP ${res.status})`,
        'Keep the host clock synchronised (NTP).',
      );
    }
    // The header has one-second resolution: judge against the middle of the round trip, then round.
    const skew = Math.round(((before + after) / 2 - upstream) / 1000);
    const evidence = `local clock ${skew >= 0 ? 'ahead of' : 'behind'} upstream by ${Math.abs(skew)} s (Date: ${date})`;
    if (Math.abs(skew) > MAX_SKEW_SECONDS) {
      return problem(
        'clock.skew',
        subject,
        evidence,
        'Synchronise the clock (NTP): signatures more than 15 minutes off are refused, and stuck times drift.',
      );
    }
    return ok('clock.skew', subject, evidence);
  } catch (err) {
    return unknown(
      'clock.skew',
      subject,
      `no answer from ${subject}: ${err instanceof Error ? err.message : 'failed'}`,
      'Check that the endpoint is reachable from here.',
    );
  }
}
