/**
 * A CSMS read failed: the answer's status and error code (when CSMS gave one of the usual shape),
 * never the secret's value nor the upstream message.
 */
export class CsmsError extends Error {
  override readonly name = 'CsmsError';
  constructor(
    problem: string,
    readonly status?: number,
    readonly errorCode?: string,
    options?: ErrorOptions,
  ) {
    super(`CSMS ${problem}${status === undefined ? '' : ` (${status}${errorCode ? ` ${errorCode}` : ''})`}`, options);
  }
}
