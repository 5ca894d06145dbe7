/** Errors of the notifier. Messages name destinations by id, never by URL or secret. */
export class NotifyError extends Error {
  override readonly name: string = 'NotifyError';
}

/** A webhook URL breaks the policy (https to a public host unless `allowInsecureWebhooks`). */
export class WebhookUrlError extends NotifyError {
  override readonly name = 'WebhookUrlError';
  constructor(
    readonly destinationId: string,
    readonly problem: string,
  ) {
    super(`destination ${destinationId}: ${problem}`);
  }
}

/** A host a POST may not connect to (the message names no host or address: the URL is a secret). */
export class NonPublicAddressError extends NotifyError {
  override readonly name = 'NonPublicAddressError';
}
