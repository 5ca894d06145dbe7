import * as ERROR_CODES from './errorCodes';
import { ValidationError } from './errors';
import type { NormalizedRequest } from './normalizeEvent';

/**
 * The request's query as one value per parameter, with `list`'s rules and codes: a parameter not in
 * `allowed` is a 400 naming its position (never its text, which could be a secret), one given twice a
 * 400 naming it.
 */
export function singleQuery(req: NormalizedRequest, allowed: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  let position = 0;
  for (const [name, values] of req.query) {
    position++;
    if (!allowed.includes(name)) {
      const rule =
        allowed.length > 0
          ? `unknown query parameter (allowed: ${allowed.join(', ')}; names are case-sensitive)`
          : 'this route takes no query parameters';
      throw new ValidationError(`query parameter #${position}`, ERROR_CODES.unknownParameter, rule);
    }
    if (values.length !== 1) {
      throw new ValidationError(name, ERROR_CODES.repeatedParameter, 'must be given at most once');
    }
    out.set(name, values[0] ?? '');
  }
  return out;
}
