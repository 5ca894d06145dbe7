import { randomBytes } from 'node:crypto';
import * as ERROR_CODES from '../../http/errorCodes';
import { HttpError } from '../../http/errors';
import { parseSilence } from '../../notify/silences/parseSilence';
import { createSilence, expireSilence, SilenceLimitError } from '../../notify/silences/silenceStore';
import { isActive, readSilenceIndex, type Silence } from '../../notify/silences/silences';
import type { StateStore } from '../../state/types';

export type { Silence } from '../../notify/silences/silences';

/** What the page's silence form asks for. */
export interface SilenceInput {
  readonly instance?: string;
  readonly task?: string;
  readonly minutes: number;
  readonly createdBy: string;
  readonly comment: string;
}

/** The silences the page shows and changes: the operator API's (issue 11), nothing of its own. */
export interface SilenceApi {
  /** Silences in force at `now` (configured and API ones), soonest end first. */
  active(now: number): Promise<readonly Silence[]>;
  create(input: SilenceInput, now: number): Promise<Silence>;
  /** Ends an API silence now; `undefined` when none in force has this id; a configured one is a 409. */
  expire(id: string, now: number): Promise<Silence | undefined>;
}

/**
 * The notifier's silences through the operator API's own code (`lib/notify/silences/silenceStore.ts`,
 * `parseSilence`): the same index record in the state store, the same validation and limits, so a
 * silence made on the page holds back notifications exactly like one made with `POST /ops/v1/silences`.
 */
export class NotifierSilences implements SilenceApi {
  readonly #store: StateStore;
  readonly #configured: readonly Silence[];
  constructor(store: StateStore, configured: readonly Silence[]) {
    this.#store = store;
    this.#configured = configured;
  }

  async active(now: number): Promise<readonly Silence[]> {
    const { silences } = await readSilenceIndex(this.#store);
    return [...this.#configured, ...silences]
      .filter((s) => isActive(s, now))
      .sort((a, b) => Date.parse(a.endsAt) - Date.parse(b.endsAt));
  }

  async create(input: SilenceInput, now: number): Promise<Silence> {
    const silence = parseSilence(
      {
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + input.minutes * 60_000).toISOString(),
        matchers: {
          ...(input.instance !== undefined ? { instances: [input.instance] } : {}),
          ...(input.task !== undefined ? { tasks: [input.task] } : {}),
        },
        createdBy: input.createdBy,
        comment: input.comment,
      },
      'form',
      { id: `sil_${randomBytes(12).toString('base64url')}`, source: 'api' },
    );
    try {
      return await createSilence(this.#store, { ...silence, createdAt: new Date(now).toISOString() }, now);
    } catch (e) {
      if (e instanceof SilenceLimitError) throw new HttpError(409, ERROR_CODES.tooManySilences, e.message);
      throw e;
    }
  }

  async expire(id: string, now: number): Promise<Silence | undefined> {
    if (this.#configured.some((s) => s.id === id))
      throw new HttpError(
        409,
        ERROR_CODES.silenceFromConfiguration,
        'a configured silence; remove it from notify.silences',
      );
    const active = (await this.active(now)).some((s) => s.id === id);
    return active ? expireSilence(this.#store, id, now) : undefined;
  }
}
