import * as ERROR_CODES from '../http/errorCodes';
import { ValidationError } from '../http/errors';
import type { NormalizedRequest } from '../http/normalizeEvent';

/**
 * The request's query as one value per parameter: a parameter not in `allowed`, or given twice, is a
 * 400 naming it (the same rules and codes as `list`).
 */
export function singleQuery(req: NormalizedRequest, allowed: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, values] of req.query) {
    if (!allowed.includes(name)) {
      const safe = /^[A-Za-z0-9_.-]{1,40}$/.test(name) ? name : 'a parameter';
      const rule = `unknown query parameter (allowed: ${allowed.join(', ') || 'none'})`;
      throw new ValidationError(safe, ERROR_CODES.unknownParameter, rule);
    }
    if (values.length > 1) throw new ValidationError(name, ERROR_CODES.repeatedParameter, 'given more than once');
    out.set(name, values[0] ?? '');
  }
  return out;
}
