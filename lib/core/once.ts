/**
 * Lazy initialisation kept while it succeeds: the first call starts `init` (with that call's
 * arguments), later calls share its promise; a rejection is not kept, so the next call tries again
 * (a transient secret read, say), with its own arguments.
 */
export function lazyOnce<T, A extends unknown[] = []>(init: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let pending: Promise<T> | undefined;
  return (...args) => {
    pending ??= init(...args).catch((e: unknown) => {
      pending = undefined;
      throw e;
    });
    return pending;
  };
}
