import type { Redis } from 'ioredis';
import type { StorePersistence } from './types';

/** `field:value` lines of an `INFO` section. */
function infoField(info: string, field: string): string | undefined {
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(info);
  return m?.[1]?.trim();
}

/** One server's persistence: AOF from `INFO persistence`, RDB save points from `CONFIG GET save`. */
async function readOne(node: Redis): Promise<StorePersistence> {
  const info = await node.info('persistence');
  const aof = infoField(info, 'aof_enabled') === '1';
  // DCS may refuse CONFIG: then the RDB side is not known.
  const save = await node.config('GET', 'save').then(
    (r) => (Array.isArray(r) && typeof r[1] === 'string' ? r[1] : undefined),
    () => undefined,
  );
  const rdb = save === undefined ? undefined : save.trim() !== '';
  const detail = `aof ${aof ? 'on' : 'off'}, rdb save ${save === undefined ? 'unreadable' : JSON.stringify(save)}`;
  return { persists: aof || rdb, detail };
}

/**
 * The persistence of a store's servers (the masters of a cluster): persists only if every one does.
 * Never throws: a failure reads as `persists: undefined`.
 */
export async function readPersistence(nodes: readonly Redis[]): Promise<StorePersistence> {
  try {
    if (nodes.length === 0) return { persists: undefined, detail: 'no server known yet' };
    const each = await Promise.all(nodes.map(readOne));
    const persists = each.some((p) => p.persists === false)
      ? false
      : each.every((p) => p.persists === true)
        ? true
        : undefined;
    return { persists, detail: [...new Set(each.map((p) => p.detail))].join('; ') };
  } catch (e) {
    return { persists: undefined, detail: `not read (${e instanceof Error ? e.name : 'error'})` };
  }
}
