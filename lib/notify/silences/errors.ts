import { NotifyError } from '../errors';

/** A new silence would make more than `SILENCE_LIMITS.maxLive` API silences not yet ended. */
export class SilenceLimitError extends NotifyError {
  override readonly name = 'SilenceLimitError';
}

/** A configured silence cannot be expired through the API or the page: it ends by editing the configuration. */
export class SilenceFromConfigurationError extends NotifyError {
  override readonly name = 'SilenceFromConfigurationError';
  constructor(readonly silenceId: string) {
    super(`silence ${silenceId}: a configured silence; remove it from notify.silences`);
  }
}

/** The silence index stayed busy: every conditional write lost to another writer. */
export class SilenceIndexBusyError extends NotifyError {
  override readonly name = 'SilenceIndexBusyError';
}
