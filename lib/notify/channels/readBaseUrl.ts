import { ConfigError } from '../../config/errors';
import { readString } from '../../config/readers';

/** An http(s) URL the API paths are appended to (a path prefix allowed; no query, no user info). */
export function readBaseUrl(v: unknown, path: string): string {
  const s = readString(v, path);
  let url: URL | undefined;
  try {
    url = new URL(s);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new ConfigError(path, 'must be an http(s) URL');
  if (url.search || url.hash || url.username || url.password)
    throw new ConfigError(path, 'takes no query, fragment or user info');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
