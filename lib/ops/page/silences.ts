import * as ERROR_CODES from '../../http/errorCodes';
import { SilenceService } from '../../notify/silences/silenceService';
import type { Silence } from '../../notify/silences/silences';
import type { StateStore } from '../../state/types';
import { silenceHttpError } from '../silencesApi';

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
 * The page's form over the one silence service (`lib/notify/silences/silenceService.ts`): the same
 * index record, validation and limits as `POST /ops/v1/silences`, so a silence made on the page holds
 * back notifications exactly like one made through the API; errors mapped as the API maps them.
 */
export class NotifierSilences implements SilenceApi {
  readonly #service: SilenceService;
  constructor(store: StateStore, configured: readonly Silence[]) {
    this.#service = new SilenceService(store, configured);
  }

  active(now: number): Promise<readonly Silence[]> {
    return this.#service.inForce(now);
  }

  async create(input: SilenceInput, now: number): Promise<Silence> {
    const document = {
      endsAt: new Date(now + input.minutes * 60_000).toISOString(),
      matchers: {
        ...(input.instance !== undefined ? { instances: [input.instance] } : {}),
        ...(input.task !== undefined ? { tasks: [input.task] } : {}),
      },
      createdBy: input.createdBy,
      comment: input.comment,
    };
    try {
      return await this.#service.create(document, 'form', now);
    } catch (e) {
      throw silenceHttpError(e, ERROR_CODES.invalidPageSilence);
    }
  }

  async expire(id: string, now: number): Promise<Silence | undefined> {
    try {
      // A configured id goes to the service, which refuses it (409); an API one must be in force.
      const inForce = this.#service.isConfigured(id) || (await this.active(now)).some((s) => s.id === id);
      return inForce ? await this.#service.expire(id, now) : undefined;
    } catch (e) {
      throw silenceHttpError(e, ERROR_CODES.invalidPageSilence);
    }
  }
}
