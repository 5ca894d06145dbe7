/** A configuration problem found at cold start. `path` names the setting (e.g. `projects.abc.region`). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`invalid configuration at ${path}: ${problem}`);
  }
}

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
