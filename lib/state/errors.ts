/** A `scan` cursor this store did not make. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor() {
    super('not a cursor of this store');
  }
}

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
