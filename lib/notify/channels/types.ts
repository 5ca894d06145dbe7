import type { CredentialsProvider } from '../../signing/credentials';
import type { Notification, ResolvedDestination } from '../types';

/** The HTTP request a channel wants sent. Holds the secret URL: never log it. */
export interface OutgoingRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** How a destination's answer is read. */
export type Outcome =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'retry'; readonly reason: string; readonly retryAfterMs?: number }
  | { readonly kind: 'permanent'; readonly reason: string };

export interface BuildContext {
  readonly now: Date;
  /** Items shown before "and N more". */
  readonly maxItems: number;
  /**
   * Notifications pending for this destination and instance when the run listed the outbox, this
   * message's included: what a grouped message states as the real number. @default the message's items
   */
  readonly pending?: PendingCount;
  /** The cloud credentials of this invocation (`smn` signs its publish with them, as DMS calls are). */
  readonly credentials?: CredentialsProvider;
}

/** A count of pending notifications, and whether it is only a lower bound (the listing was cut). */
export interface PendingCount {
  readonly count: number;
  readonly atLeast: boolean;
}

export interface Channel {
  /** Whether several notifications of one instance go out as one message. */
  readonly groups: boolean;
  /** Builds the (signed) request within `destination.maxBodyBytes`. `shown` says how many items are listed. */
  build(
    destination: ResolvedDestination,
    items: readonly Notification[],
    ctx: BuildContext,
  ): OutgoingRequest & { readonly shown: number };
  /** Reads a response already known to be 2xx: platform errors inside the body are failures. */
  readBody(text: string): Outcome;
  /**
   * Reads a non-2xx answer the platform documents its own way; `undefined` leaves it to the common
   * rules (429, 408, 5xx retried; other 4xx permanent). @default the common rules
   */
  readError?(status: number, text: string): Outcome | undefined;
}
