import { randomUUID } from 'node:crypto';
import { type CheckResult, ok, problem, unknown } from '../core/checkResult';
import type { StateStore, StorePersistence } from './types';

/** The key the check writes (expires in a minute: it leaves nothing behind for long). */
const DOCTOR_KEY_PREFIX = 'doctor/';

/**
 * The state store answers, accepts a conditional write (create, then update at the version read, then
 * refuse an update at a stale version), and persists (what the store reads of itself, `persistence()`).
 */
export async function checkStore(
  name: string,
  store: StateStore,
  now: () => number,
  persistence: (() => Promise<StorePersistence>) | undefined = store.persistence?.bind(store),
): Promise<CheckResult[]> {
  const rows: CheckResult[] = [];
  const key = `${DOCTOR_KEY_PREFIX}${randomUUID()}`;
  const expiresAt = now() + 60_000;
  try {
    const created = await store.create(key, { at: now() }, { expiresAt });
    const read = await store.get(key);
    const updated = read ? await store.update(key, read.version, { at: now() }, { expiresAt }) : false;
    const stale = read ? await store.update(key, read.version, { at: now() }, { expiresAt }) : true;
    if (created && read && updated && !stale) {
      rows.push(
        ok('store.conditional-write', name, 'create, read, update at version and refusal of a stale version all held'),
      );
    } else {
      rows.push(
        problem(
          'store.conditional-write',
          name,
          `created ${created}, read ${read !== undefined}, updated ${updated}, stale update refused ${!stale}`,
          'Use a store with conditional writes (DynamoDB, Redis 6 or later, the file store on one host).',
        ),
      );
    }
  } catch (err) {
    rows.push(
      problem(
        'store.answers',
        name,
        err instanceof Error ? err.message : 'failed',
        'Check the store settings (host, port, table) and that the function can reach the store.',
      ),
    );
    return rows;
  }
  if (!persistence) {
    rows.push(unknown('store.persists', name, 'this store does not report persistence', 'Check its backup settings.'));
    return rows;
  }
  try {
    const fact = await persistence();
    if (fact.persists === true) rows.push(ok('store.persists', name, fact.detail));
    else if (fact.persists === false)
      rows.push(
        problem(
          'store.persists',
          name,
          fact.detail,
          'Use a store that persists (DCS master/standby or cluster with AOF, DynamoDB): after a restart an empty ' +
            'store re-baselines and loses what was queued.',
        ),
      );
    else rows.push(unknown('store.persists', name, fact.detail, "Check the store's persistence settings."));
  } catch (err) {
    rows.push(
      unknown(
        'store.persists',
        name,
        err instanceof Error ? err.message : 'failed',
        "Check the store's persistence settings.",
      ),
    );
  }
  return rows;
}
