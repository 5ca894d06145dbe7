/**
 * A plain JSON-style object (not null, not an array): what parsed configuration, events and bodies
 * are checked with.
 */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
