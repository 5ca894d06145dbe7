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
