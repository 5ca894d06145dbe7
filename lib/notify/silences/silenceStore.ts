import type { StateStore } from '../../state/types';
import { keys } from '../records';
import { readSilenceIndex, SILENCE_KEEP_MS, type Silence } from './silences';

/** Conditional writes tried before giving up on a busy index (each retry re-reads it). */
const MAX_TRIES = 10;
/** Silences the API keeps at once (ended ones are dropped after `SILENCE_KEEP_MS`). */
export const MAX_API_SILENCES = 500;

export class SilenceLimitError extends Error {
  override readonly name = 'SilenceLimitError';
}

/** Ended more than `SILENCE_KEEP_MS` ago: dropped from the index. */
function kept(s: Silence, now: number): boolean {
  return Date.parse(s.endsAt) + SILENCE_KEEP_MS > now;
}

/**
 * Rewrites the index with `change` applied, conditional on the version read (create when absent), so
 * two writers never lose each other's silence. The record expires with its last silence.
 */
async function changeIndex<T>(
  store: StateStore,
  now: number,
  change: (silences: Silence[]) => { silences: Silence[]; result: T },
): Promise<T> {
  for (let i = 0; i < MAX_TRIES; i++) {
    const { version, silences } = await readSilenceIndex(store);
    const next = change(silences.filter((s) => kept(s, now)));
    const lastEnd = Math.max(now, ...next.silences.map((s) => Date.parse(s.endsAt)));
    const options = { expiresAt: lastEnd + SILENCE_KEEP_MS };
    const value = { silences: next.silences };
    const ok =
      version === undefined
        ? await store.create(keys.silences, value, options)
        : await store.update(keys.silences, version, value, options);
    if (ok) return next.result;
  }
  throw new Error('silence index busy: too many concurrent writers');
}

/** Stores a new API silence (its id already chosen). */
export async function createSilence(store: StateStore, silence: Silence, now: number): Promise<Silence> {
  return changeIndex(store, now, (silences) => {
    if (silences.length >= MAX_API_SILENCES) throw new SilenceLimitError(`at most ${MAX_API_SILENCES} silences`);
    return { silences: [...silences, silence], result: silence };
  });
}

/**
 * Ends an API silence now (kept, listed as expired). `undefined` when no API silence has that id; one
 * already ended is returned unchanged.
 */
export async function expireSilence(store: StateStore, id: string, now: number): Promise<Silence | undefined> {
  const { silences } = await readSilenceIndex(store);
  if (!silences.some((s) => s.id === id)) return undefined;
  return changeIndex(store, now, (list) => {
    const found = list.find((s) => s.id === id);
    if (!found || Date.parse(found.endsAt) <= now) return { silences: list, result: found };
    const at = new Date(now).toISOString();
    const ended: Silence = { ...found, endsAt: at, expiredAt: at };
    return { silences: list.map((s) => (s.id === id ? ended : s)), result: ended };
  });
}
