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
}
