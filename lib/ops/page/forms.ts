import * as ERROR_CODES from '../../http/errorCodes';
import { ValidationError } from '../../http/errors';
import { decodePercent, PERCENT_ENCODING_RULE } from '../../http/normalizeEvent';

/**
 * An `application/x-www-form-urlencoded` body: the first value of each field. A piece whose
 * percent-encoding is bad is a 400 naming `form` (as the edge refuses a bad path or query), not a
 * field silently read as something else.
 */
export function parseForm(body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const piece of body.split('&')) {
    if (piece === '') continue;
    if (decodePercent(piece.replaceAll('+', ' ')) === undefined)
      throw new ValidationError('form', ERROR_CODES.invalidEncoding, PERCENT_ENCODING_RULE);
  }
  for (const [k, v] of new URLSearchParams(body)) if (!out.has(k)) out.set(k, v);
  return out;
}
