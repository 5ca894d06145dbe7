import { onlyKeys, readGlobList, readMemberList, readOptionalObject } from '../../config/readers';
import { EVENT_KINDS, type Filter } from '../types';

/** The settings of a filter (the JSON Schema's test compares its own with these). */
export const FILTER_KEYS = ['tasks', 'instances', 'events'] as const;

/** A `filter` (of `notify` or of a route): task and instance globs to include and exclude, and event kinds. */
export function parseFilter(v: unknown, path: string): Filter {
  const o = readOptionalObject(v, path);
  onlyKeys(o, path, FILTER_KEYS);
  const side = (s: unknown, p: string): { include: string[]; exclude: string[] } => {
    const so = readOptionalObject(s, p);
    onlyKeys(so, p, ['include', 'exclude']);
    return { include: readGlobList(so.include, `${p}.include`), exclude: readGlobList(so.exclude, `${p}.exclude`) };
  };
  const tasks = side(o.tasks, `${path}.tasks`);
  const instances = side(o.instances, `${path}.instances`);
  return {
    tasksInclude: tasks.include,
    tasksExclude: tasks.exclude,
    instancesInclude: instances.include,
    instancesExclude: instances.exclude,
    events: readMemberList(o.events, `${path}.events`, EVENT_KINDS, EVENT_KINDS),
  };
}
