import { parseIsoTime } from '../../core/isoTime';
import { fail, readGlobList, readMemberList, readObject, readString, readStringList } from '../../config/readers';
import type { Versioned } from '../../state/types';
import { type MalformedRecord, readStored } from '../records';
import { EVENT_KINDS } from '../types';
import type { Silence } from './silences';

/** The API's silences as one stored record (`keys.silences`), read back. */
export interface SilenceIndex {
  /** The record's version (absent: no record yet), for the conditional write of a change. */
  readonly version?: number;
  readonly silences: readonly Silence[];
  /** Stored entries that are not silences: never matched nor listed, dropped by the next write. */
  readonly malformed: readonly MalformedRecord[];
}

function readStoredTime(v: unknown, path: string): string {
  const text = readString(v, path);
  if (parseIsoTime(text) === undefined) fail(path, 'must be an ISO 8601 time');
  return text;
}

function readText(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(path, 'must be a string');
  return v;
}

/** One stored API silence, as `SilenceService.create` wrote it. */
export function readStoredSilence(v: unknown, path: string): Silence {
  const o = readObject(v, path);
  const m = readObject(o.matchers, `${path}.matchers`);
  if (o.source !== 'api') fail(`${path}.source`, 'must be "api"');
  return {
    id: readString(o.id, `${path}.id`),
    startsAt: readStoredTime(o.startsAt, `${path}.startsAt`),
    endsAt: readStoredTime(o.endsAt, `${path}.endsAt`),
    matchers: {
      instances: readGlobList(m.instances, `${path}.matchers.instances`),
      tasks: readGlobList(m.tasks, `${path}.matchers.tasks`),
      projects: readStringList(m.projects, `${path}.matchers.projects`),
      events: readMemberList(m.events, `${path}.matchers.events`, EVENT_KINDS, []),
    },
    createdBy: readText(o.createdBy, `${path}.createdBy`),
    comment: readText(o.comment, `${path}.comment`),
    source: 'api',
    ...(o.createdAt !== undefined ? { createdAt: readStoredTime(o.createdAt, `${path}.createdAt`) } : {}),
    ...(o.expiredAt !== undefined ? { expiredAt: readStoredTime(o.expiredAt, `${path}.expiredAt`) } : {}),
  };
}

/**
 * The silence index as stored: each entry read on its own, so one malformed entry costs only itself.
 * No record: no silences. A record without a `silences` list: no silences and one malformed result.
 */
export function readSilenceIndex(item: Versioned | undefined): SilenceIndex {
  if (!item) return { silences: [], malformed: [] };
  const list = readStored(item.key, item.value, (value, path) => {
    const entries = readObject(value, path).silences;
    if (!Array.isArray(entries)) fail(`${path}.silences`, 'must be an array');
    return entries;
  });
  if (!list.ok) return { version: item.version, silences: [], malformed: [list.malformed] };
  const silences: Silence[] = [];
  const malformed: MalformedRecord[] = [];
  list.record.forEach((entry: unknown, i) => {
    const read = readStored(item.key, entry, readStoredSilence, `value.silences[${i}]`);
    if (read.ok) silences.push(read.record);
    else malformed.push(read.malformed);
  });
  return { version: item.version, silences, malformed };
}
