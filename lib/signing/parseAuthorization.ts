import { SIGNING } from './constants';

export interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** Parses `SDK-HMAC-SHA256 Access=..., SignedHeaders=a;b, Signature=hex`; `undefined` if malformed. */
export function parseAuthorization(value: string): ParsedAuthorization | undefined {
  const m =
    /^SDK-HMAC-SHA256 Access=([^,\s]+), ?SignedHeaders=([a-z0-9-]+(?:;[a-z0-9-]+)*), ?Signature=([0-9a-f]{64})$/.exec(
      value.trim(),
    );
  if (!m || !value.trim().startsWith(SIGNING.algorithm)) return undefined;
  return { accessKeyId: m[1] as string, signedHeaders: (m[2] as string).split(';'), signature: m[3] as string };
}
