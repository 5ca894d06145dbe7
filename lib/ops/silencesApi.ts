import { randomBytes } from 'node:crypto';
import { ConfigError } from '../config/errors';
import * as ERROR_CODES from '../http/errorCodes';
import { HttpError, ValidationError } from '../http/errors';
import type { NormalizedRequest } from '../http/normalizeEvent';
import { parseSilence } from '../notify/silences/parseSilence';
import { createSilence, expireSilence, SilenceLimitError } from '../notify/silences/silenceStore';
import { isActive, readSilenceIndex, type Silence } from '../notify/silences/silences';
import type { NotifyConfig } from '../notify/types';
import type { StateStore } from '../state/types';

/** Largest request body accepted (bytes). */
export const MAX_BODY_BYTES = 16 * 1024;
const SILENCE_ID = /^sil_[A-Za-z0-9_-]{16}$/;

/** A silence as the API shows it: its settings, where it comes from, and its state at `now`. */
export function silenceView(s: Silence, now: number): Record<string, unknown> {
  const state = isActive(s, now) ? 'active' : Date.parse(s.startsAt) > now ? 'pending' : 'expired';
  return {
    id: s.id,
    state,
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

/** Every silence: the configuration's, then the API's (newest last). */
export async function listSilences(store: StateStore, config: NotifyConfig, now: number) {
  const stored = await readSilenceIndex(store);
  return { silences: [...config.silences, ...stored.silences].map((s) => silenceView(s, now)) };
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
export async function createSilenceFrom(req: NormalizedRequest, store: StateStore, now: number) {
  const body = readJsonBody(req);
  const withStart =
    typeof body === 'object' && body !== null && !Array.isArray(body) && !('startsAt' in body)
      ? { ...body, startsAt: new Date(now).toISOString() }
      : body;
  const id = `sil_${randomBytes(12).toString('base64url')}`;
  let silence: Silence;
  try {
    silence = parseSilence(withStart, 'body', { id, source: 'api' });
  } catch (e) {
    if (e instanceof ConfigError) throw new ValidationError(e.path, ERROR_CODES.invalidSilence, e.problem);
    throw e;
  }
  if (Date.parse(silence.endsAt) <= now) {
    throw new ValidationError('body.endsAt', ERROR_CODES.invalidSilence, 'must be in the future');
  }
  try {
    const stored = await createSilence(store, { ...silence, createdAt: new Date(now).toISOString() }, now);
    return silenceView(stored, now);
  } catch (e) {
    if (e instanceof SilenceLimitError) throw new HttpError(409, ERROR_CODES.tooManySilences, e.message);
    throw e;
  }
}

/**
 * `DELETE /ops/v1/silences/{silence_id}`: the API silence ends now (kept, shown as expired). A
 * configured silence is a 409 (it ends by editing the configuration); an unknown id a 404.
 */
export async function expireSilenceById(id: string, store: StateStore, config: NotifyConfig, now: number) {
  if (config.silences.some((s) => s.id === id)) {
    const msg = 'silence_id: a configured silence; remove it from notify.silences';
    throw new HttpError(409, ERROR_CODES.silenceFromConfiguration, msg);
  }
  if (!SILENCE_ID.test(id)) {
    throw new ValidationError('silence_id', ERROR_CODES.invalidSilenceId, 'must be an id this API returned');
  }
  const ended = await expireSilence(store, id, now);
  if (!ended) throw new HttpError(404, ERROR_CODES.silenceNotFound, 'silence_id: no such silence');
  return silenceView(ended, now);
}
