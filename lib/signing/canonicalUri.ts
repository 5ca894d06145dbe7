import { encodeRfc3986 } from './encodeRfc3986';

/**
 * The canonical URI: each raw (decoded) path segment encoded once, with a trailing `/` always
 * appended for signing, although the URL that is sent has none.
 *
 * @example canonicalUri(['v2', 'p1', 'instances']) === '/v2/p1/instances/'
 */
export function canonicalUri(segments: readonly string[]): string {
  const path = `/${segments.map(encodeRfc3986).join('/')}`;
  return path.endsWith('/') ? path : `${path}/`;
}
