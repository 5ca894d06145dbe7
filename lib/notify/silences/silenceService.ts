import { randomBytes } from 'node:crypto';
import { fail } from '../../config/readers';
import { isRecord } from '../../core/isRecord';
import type { StateStore } from '../../state/types';
import { keys } from '../records';
import { SilenceFromConfigurationError, SilenceIndexBusyError, SilenceLimitError } from './errors';
import { parseSilence } from './parseSilence';
import { type Silence, silenceState } from './silences';
import { readSilenceIndex, type SilenceIndex } from './storedSilences';

/** The bookkeeping of API silences (issue 20 item 4). */
export const SILENCE_LIMITS = {
  /**
   * API silences not yet ended (active or pending) at once. Ended ones do not count: a burst of
   * short silences must not lock creation out for the week they stay listed.
   */
  maxLive: 500,
  /**
   * How long an ended silence stays listed (shown as expired), so an operator sees what just ended
   * and who made it: a week covers a weekend's incidents and the review after them.
   */
  keepEndedMs: 7 * 24 * 3_600_000,
  /**
   * Ended silences kept at most (the most recently ended): with `maxLive` this bounds the one index
   * record, whatever the rate of creation.
   */
  maxEnded: 100,
} as const;

/** Conditional writes tried before giving up on a busy index (each retry re-reads it). */
const MAX_TRIES = 10;

const iso = (t: number): string => new Date(t).toISOString();
const endOf = (s: Silence): number => Date.parse(s.endsAt);

/** The API silences a write keeps: every live one, and the most recent ended ones within retention. */
export function retained(silences: readonly Silence[], now: number): Silence[] {
  const ended = silences
    .filter((s) => silenceState(s, now) === 'expired' && endOf(s) + SILENCE_LIMITS.keepEndedMs > now)
    .sort((a, b) => endOf(b) - endOf(a))
    .slice(0, SILENCE_LIMITS.maxEnded);
  return silences.filter((s) => silenceState(s, now) !== 'expired' || ended.includes(s));
}

/** Every silence the notifier applies, and what of the index could not be read. */
export interface SilenceListing {
  /** The configuration's, then the API's (oldest first), ended ones within retention included. */
  readonly silences: readonly Silence[];
  readonly malformed: SilenceIndex['malformed'];
}

/**
 * Every silence at `now`: the configured ones, then the API's within retention, one store read. A
 * function of its own (the service's `list`) so the notifier, which only reads, bundles no writer.
 */
export async function listSilences(
  store: StateStore,
  configured: readonly Silence[],
  now: number,
): Promise<SilenceListing> {
  const index = readSilenceIndex(await store.get(keys.silences));
  return { silences: [...configured, ...retained(index.silences, now)], malformed: index.malformed };
}

/**
 * The one silence service (Alertmanager's `silence.go` model): the operator API, the fleet page and
 * the notifier create, expire, list and match silences here, over one record of the state store
 * (`keys.silences`, written conditionally so two writers never lose each other's silence) beside the
 * configuration's silences, with the same validation (`parseSilence`) and the same limits.
 */
export class SilenceService {
  readonly #store: StateStore;
  readonly #configured: readonly Silence[];
  constructor(store: StateStore, configured: readonly Silence[]) {
    this.#store = store;
    this.#configured = configured;
  }

  /** Whether `id` names a configured silence (which only the configuration can end). */
  isConfigured(id: string): boolean {
    return this.#configured.some((s) => s.id === id);
  }

  /** Every silence (configured and API ones within retention at `now`), one store read. */
  list(now: number): Promise<SilenceListing> {
    return listSilences(this.#store, this.#configured, now);
  }

  /** The silences in force at `now` (configured and API ones), soonest end first. */
  async inForce(now: number): Promise<Silence[]> {
    const { silences } = await this.list(now);
    return silences.filter((s) => silenceState(s, now) === 'active').sort((a, b) => endOf(a) - endOf(b));
  }

  /**
   * Creates an API silence from `input` (`{startsAt?, endsAt, matchers, createdBy, comment?}`,
   * `startsAt` defaulting to `now`), read at `path` (`body`, `form`): validated like a configured
   * silence, `endsAt` in the future. Throws `ConfigError` naming the field, `SilenceLimitError` when
   * `SILENCE_LIMITS.maxLive` are not yet ended.
   */
  async create(input: unknown, path: string, now: number): Promise<Silence> {
    const withStart = isRecord(input) && !('startsAt' in input) ? { ...input, startsAt: iso(now) } : input;
    const id = `sil_${randomBytes(12).toString('base64url')}`;
    const parsed = parseSilence(withStart, path, { id, source: 'api' });
    if (endOf(parsed) <= now) fail(`${path}.endsAt`, 'must be in the future');
    const silence: Silence = { ...parsed, createdAt: iso(now) };
    return this.#change(now, (silences) => {
      const live = silences.filter((s) => silenceState(s, now) !== 'expired').length;
      if (live >= SILENCE_LIMITS.maxLive) {
        throw new SilenceLimitError(`at most ${SILENCE_LIMITS.maxLive} silences not yet ended`);
      }
      return { silences: [...silences, silence], result: silence };
    });
  }

  /**
   * Ends an API silence now (kept, listed as expired). `undefined` when no API silence has that id;
   * one already ended is returned unchanged; a configured one throws `SilenceFromConfigurationError`.
   */
  async expire(id: string, now: number): Promise<Silence | undefined> {
    if (this.isConfigured(id)) throw new SilenceFromConfigurationError(id);
    const { silences } = await this.list(now);
    if (!silences.some((s) => s.id === id)) return undefined;
    return this.#change(now, (list) => {
      const found = list.find((s) => s.id === id);
      if (!found || silenceState(found, now) === 'expired') return { silences: list, result: found };
      const ended: Silence = { ...found, endsAt: iso(now), expiredAt: iso(now) };
      return { silences: list.map((s) => (s === found ? ended : s)), result: ended };
    });
  }

  /**
   * Rewrites the index with `change` applied to what it retains, conditional on the version read
   * (created when absent). The record expires with the retention of its last silence.
   */
  async #change<T>(now: number, change: (silences: Silence[]) => { silences: Silence[]; result: T }): Promise<T> {
    for (let i = 0; i < MAX_TRIES; i++) {
      const { version, silences } = readSilenceIndex(await this.#store.get(keys.silences));
      const next = change(retained(silences, now));
      const lastEnd = Math.max(now, ...next.silences.map(endOf));
      const options = { expiresAt: lastEnd + SILENCE_LIMITS.keepEndedMs };
      const value = { silences: next.silences };
      const ok =
        version === undefined
          ? await this.#store.create(keys.silences, value, options)
          : await this.#store.update(keys.silences, version, value, options);
      if (ok) return next.result;
    }
    throw new SilenceIndexBusyError('silence index busy: too many concurrent writers');
  }
}
