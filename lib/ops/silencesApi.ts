import { ConfigError } from '../config/errors';
import type { ErrorCode } from '../http/constants';
import * as ERROR_CODES from '../http/errorCodes';
import { HttpError, ValidationError } from '../http/errors';
import type { NormalizedRequest } from '../http/normalizeEvent';
import { SilenceFromConfigurationError, SilenceLimitError } from '../notify/silences/errors';
import type { SilenceService } from '../notify/silences/silenceService';
import { type Silence, silenceState } from '../notify/silences/silences';

/** Largest request body accepted (bytes). */
export const MAX_BODY_BYTES = 16 * 1024;
const SILENCE_ID = /^sil_[A-Za-z0-9_-]{16}$/;

/** A silence as the API shows it: its settings, where it comes from, and its state at `now`. */
export function silenceView(s: Silence, now: number): Record<string, unknown> {
  return {
    id: s.id,
    state: silenceState(s, now),
    source: s.source,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    matchers: s.matchers,
    createdBy: s.createdBy,
    comment: s.comment,
    ...(s.createdAt ? { createdAt: s.createdAt } : {}),
    ...(s.expiredAt ? { expiredAt: s.expiredAt } : {}),
  };
}

/**
 * The HTTP error of a failure of the silence service, for the API and the page alike: a bad field is
 * a 400 with `invalidCode` naming it, the limit and a configured silence are 409s; anything else is
 * returned as it was.
 */
export function silenceHttpError(e: unknown, invalidCode: ErrorCode): unknown {
  if (e instanceof ConfigError) return new ValidationError(e.path, invalidCode, e.problem);
  if (e instanceof SilenceLimitError) return new HttpError(409, ERROR_CODES.tooManySilences, e.message);
  if (e instanceof SilenceFromConfigurationError) {
    const msg = 'silence_id: a configured silence; remove it from notify.silences';
    return new HttpError(409, ERROR_CODES.silenceFromConfiguration, msg);
  }
  return e;
}

/** Every silence: the configuration's, then the API's (newest last), ended ones within retention. */
export async function listSilences(silences: SilenceService, now: number) {
  const { silences: all } = await silences.list(now);
  return { silences: all.map((s) => silenceView(s, now)) };
}

function readJsonBody(req: NormalizedRequest): unknown {
  if (Buffer.byteLength(req.body) > MAX_BODY_BYTES) {
    throw new HttpError(413, ERROR_CODES.bodyTooLarge, `body: at most ${MAX_BODY_BYTES} bytes`);
  }
  try {
    return JSON.parse(req.body) as unknown;
  } catch {
    throw new ValidationError('body', ERROR_CODES.invalidBody, 'must be a JSON object');
  }
}

/**
 * `POST /ops/v1/silences` with `{startsAt?, endsAt, matchers, createdBy, comment?}` (`startsAt`
 * defaults to now): validated like a configured silence (the same parser, the same messages), then
 * stored; 201 with the silence.
 */
export async function createSilenceFrom(req: NormalizedRequest, silences: SilenceService, now: number) {
  const body = readJsonBody(req);
  try {
    return silenceView(await silences.create(body, 'body', now), now);
  } catch (e) {
    throw silenceHttpError(e, ERROR_CODES.invalidSilence);
  }
}

/**
 * `DELETE /ops/v1/silences/{silence_id}`: the API silence ends now (kept, shown as expired). A
 * configured silence is a 409 (it ends by editing the configuration); an unknown id a 404.
 */
export async function expireSilenceById(id: string, silences: SilenceService, now: number) {
  if (!silences.isConfigured(id) && !SILENCE_ID.test(id)) {
    throw new ValidationError('silence_id', ERROR_CODES.invalidSilenceId, 'must be an id this API returned');
  }
  let ended: Silence | undefined;
  try {
    ended = await silences.expire(id, now);
  } catch (e) {
    throw silenceHttpError(e, ERROR_CODES.invalidSilenceId);
  }
  if (!ended) throw new HttpError(404, ERROR_CODES.silenceNotFound, 'silence_id: no such silence');
  return silenceView(ended, now);
}
