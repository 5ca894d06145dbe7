/** The state store failed (I/O, lock, service error). The run stops using the store and reports it. */
export class StateStoreError extends Error {
  override readonly name = 'StateStoreError';
  constructor(
    readonly operation: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`state store ${operation}: ${message}`, options);
  }
}
