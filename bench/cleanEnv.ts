/**
 * The environment of a child process of the bench: only what a process needs to start (`PATH`,
 * `HOME`, the locale, the temporary directory) and `extra`. Never the bench's own environment: a
 * machine-wide `NODE_EXTRA_CA_CERTS` added 70-90 ms to every node start of the cold rows, and
 * `NODE_OPTIONS` would change what is measured. A row that needs more says so (the TLS rows set
 * `NODE_EXTRA_CA_CERTS` to the bench's own certificate).
 */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'TZ'] as const;
  const base: Record<string, string> = {};
  for (const name of keep) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  return { ...base, ...extra };
}
