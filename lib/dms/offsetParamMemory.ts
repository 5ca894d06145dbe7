import type { OffsetParam } from './types';

/**
 * Which paging parameter name each DMS endpoint was found to honour. The SDK sent `offset` from
 * 3.1.178 (Kafka) and 3.1.184 (RocketMQ, RabbitMQ) to 3.1.209 and `start` again in 3.1.215 (its
 * CHANGELOG): which one the server honours is not public, and may differ between regions while a
 * change rolls out. When a walk finds that the configured name does not advance and the other one
 * does (`iterateTaskPages`), it records the other here, and every later request to that endpoint
 * sends it.
 */
export class OffsetParamMemory {
  readonly #byEndpoint = new Map<string, OffsetParam>();

  /** The name found to work at `endpoint` (an origin, `https://host[:port]`), if one was. */
  get(endpoint: string): OffsetParam | undefined {
    return this.#byEndpoint.get(endpoint);
  }

  set(endpoint: string, name: OffsetParam): void {
    this.#byEndpoint.set(endpoint, name);
  }

  /** Forgets every endpoint (tests). */
  clear(): void {
    this.#byEndpoint.clear();
  }
}

/**
 * The memory every client shares unless given its own: one per process, so per warm function
 * instance, like the connections. Each emulator in a test has its own port, so tests do not meet.
 */
export const sharedOffsetParamMemory = new OffsetParamMemory();

/** The other paging parameter name. */
export function otherOffsetParam(name: OffsetParam): OffsetParam {
  return name === 'start' ? 'offset' : 'start';
}
