/** The signed headers, lower-cased and sorted: the canonical header block and the `SignedHeaders` list. */
export interface CanonicalHeaders {
  readonly block: string;
  readonly signedHeaders: string;
}

export function canonicalHeaders(headers: Readonly<Record<string, string>>): CanonicalHeaders {
  const entries = Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    block: entries.map(([name, value]) => `${name}:${value}\n`).join(''),
    signedHeaders: entries.map(([name]) => name).join(';'),
  };
}
