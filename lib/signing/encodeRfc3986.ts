/**
 * Percent-encodes a string the way the signer canonicalises it: every byte of its UTF-8 form except
 * the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`), with upper-case hex.
 * `encodeURIComponent` also keeps `! ' ( ) *`, so those are encoded here afterwards.
 */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
