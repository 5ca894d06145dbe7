/**
 * Lazy initialisation kept while it succeeds: the first call starts `init`, later calls share its
 * promise; a rejection is not kept, so the next call tries again (a transient secret read, say).
 */
export function lazyOnce<T>(init: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= init().catch((e: unknown) => {
      pending = undefined;
      throw e;
    });
    return pending;
  };
}
