/** A secret reference could not be resolved. Names the reference, never a value. */
export class SecretResolutionError extends Error {
  override readonly name = 'SecretResolutionError';
  constructor(
    readonly reference: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`cannot resolve secret ${reference}: ${problem}`, options);
  }
}
