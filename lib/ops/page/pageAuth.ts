import { CrossSiteError } from './errors';

/**
 * A change must come from this site: the `Origin` (else the `Referer`) must name the host the request
 * was sent to. Browsers send `Origin` on every form POST; a request with neither is refused. With the
 * SameSite=Strict cookie and the CSRF token of the session this is the third line of defence.
 */
export function checkSameOrigin(headers: ReadonlyMap<string, string>): void {
  const host = headers.get('host');
  const source = headers.get('origin') ?? headers.get('referer');
  if (!host || !source || source === 'null') throw new CrossSiteError('no Origin or Referer naming this site');
  let sourceHost: string;
  try {
    sourceHost = new URL(source).host;
  } catch {
    throw new CrossSiteError('the Origin is not a URL');
  }
  if (sourceHost.toLowerCase() !== host.toLowerCase()) throw new CrossSiteError('the request comes from another site');
}

/** The `Cookie` header, or on an HTTP API payload 2.0 event its `cookies` array. */
export function cookieHeader(event: unknown, headers: ReadonlyMap<string, string>): string | undefined {
  const fromHeader = headers.get('cookie');
  if (fromHeader) return fromHeader;
  const cookies = (event as { cookies?: unknown } | null)?.cookies;
  return Array.isArray(cookies) ? cookies.filter((c) => typeof c === 'string').join('; ') : undefined;
}
