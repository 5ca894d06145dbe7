import { encodeRfc3986 } from './encodeRfc3986';

export type QueryParams = Readonly<Record<string, string | number | undefined>>;

/**
 * The canonical query string: keys sorted (by their raw UTF-16 order, as the official SDK does),
 * keys and values encoded like path segments, an empty value kept as `k=`. Undefined values are left out.
 */
export function canonicalQuery(query: QueryParams): string {
  return Object.keys(query)
    .filter((key) => query[key] !== undefined)
    .sort()
    .map((key) => `${encodeRfc3986(key)}=${encodeRfc3986(String(query[key]))}`)
    .join('&');
}
