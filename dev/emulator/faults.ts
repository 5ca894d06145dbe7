import { createPrng } from './prng';
import { EmulatorInputError, type Fault, type LatencyFault } from './types';

/** Ready-made bodies for `malformed` faults. */
export const MALFORMED_BODIES = {
  /** An HTML error page, as a misconfigured proxy would send. */
  html:
    '<html><head><title>502 Bad Gateway</title></head>' +
    '<body><center><h1>502 Bad Gateway</h1></center></body></html>',
  /** JSON cut off after the first key. */
  truncatedJson: '{"tasks":',
  /** Valid JSON of the wrong shape: `tasks` is not an array, `task_count` not a string. */
  wrongShape: '{"task_count":3,"tasks":{"id":"x"}}',
  /** Empty body with a JSON content type. */
  empty: '',
} as const;

interface ActiveFault {
  readonly fault: Fault;
  remaining: number;
  readonly roll: () => number;
}

/** What the faults decided for one request. */
export interface FaultDecision {
  /** Extra delay from `latency` faults. */
  readonly latencyMs: number;
  /** The fault that answers instead of the API, if any (never a `latency` fault). */
  readonly answer?: Exclude<Fault, LatencyFault>;
  /** Kinds that fired, for the request log. */
  readonly fired: readonly Fault['kind'][];
}

/** Checks a fault that may have come from JSON (the control surface) and returns it unchanged. */
export function validateFault(input: unknown): Fault {
  if (input === null || typeof input !== 'object') throw new EmulatorInputError('a fault must be an object');
  const f = input as Partial<Record<string, unknown>>;
  const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (f.path !== undefined && typeof f.path !== 'string') throw new EmulatorInputError('fault.path must be a string');
  if (f.count !== undefined && (!isNum(f.count) || f.count < 1 || !Number.isInteger(f.count)))
    throw new EmulatorInputError('fault.count must be a positive integer');
  if (f.rate !== undefined && (!isNum(f.rate) || f.rate < 0 || f.rate > 1))
    throw new EmulatorInputError('fault.rate must be between 0 and 1');
  if (f.seed !== undefined && !isNum(f.seed)) throw new EmulatorInputError('fault.seed must be a number');
  switch (f.kind) {
    case 'status':
      if (!isNum(f.status) || f.status < 100 || f.status > 599)
        throw new EmulatorInputError('fault.status must be an HTTP status (100-599)');
      if (f.retryAfter !== undefined && !isNum(f.retryAfter) && typeof f.retryAfter !== 'string')
        throw new EmulatorInputError('fault.retryAfter must be a number or a string');
      break;
    case 'reset':
      break;
    case 'malformed':
      if (f.body !== undefined && typeof f.body !== 'string')
        throw new EmulatorInputError('fault.body must be a string');
      if (f.status !== undefined && (!isNum(f.status) || f.status < 100 || f.status > 599))
        throw new EmulatorInputError('fault.status must be an HTTP status (100-599)');
      if (f.hugeBytes !== undefined && (!isNum(f.hugeBytes) || f.hugeBytes < 1 || f.hugeBytes > 512 * 1024 * 1024))
        throw new EmulatorInputError('fault.hugeBytes must be between 1 and 512 MiB');
      if (f.chunked !== undefined && typeof f.chunked !== 'boolean')
        throw new EmulatorInputError('fault.chunked must be a boolean');
      break;
    case 'latency':
      if (!isNum(f.ms) || f.ms < 0) throw new EmulatorInputError('fault.ms must be a non-negative number');
      break;
    default:
      throw new EmulatorInputError('fault.kind must be status, reset, malformed or latency');
  }
  return input as Fault;
}

/**
 * The injected faults of one emulator, tried in the order they were added. For each request every
 * matching `latency` fault adds its delay, and the first matching other fault that fires answers
 * instead of the API; later ones are not rolled and keep their count. A fault with a `rate` rolls
 * its own PRNG (seeded with `seed`, default 1), so the same sequence of requests gets the same
 * faults in every run. Exhausted faults are dropped.
 */
export class FaultSet {
  private active: ActiveFault[] = [];

  add(fault: Fault): void {
    const valid = validateFault(fault);
    this.active.push({
      fault: valid,
      remaining: valid.count ?? Number.POSITIVE_INFINITY,
      roll: createPrng(valid.seed ?? 1),
    });
  }

  clear(): void {
    this.active = [];
  }

  get size(): number {
    return this.active.length;
  }

  list(): Fault[] {
    return this.active.map((a) => a.fault);
  }

  decide(path: string): FaultDecision {
    let latencyMs = 0;
    let answer: Exclude<Fault, LatencyFault> | undefined;
    const fired: Fault['kind'][] = [];
    for (const entry of this.active) {
      const { fault } = entry;
      if (entry.remaining <= 0) continue;
      if (fault.path !== undefined && !path.includes(fault.path)) continue;
      if (fault.kind !== 'latency' && answer) continue;
      if (fault.rate !== undefined && !(entry.roll() < fault.rate)) continue;
      entry.remaining -= 1;
      fired.push(fault.kind);
      if (fault.kind === 'latency') latencyMs += fault.ms;
      else answer = fault;
    }
    this.active = this.active.filter((a) => a.remaining > 0);
    return answer ? { latencyMs, answer, fired } : { latencyMs, fired };
  }
}
