import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config/errors';
import { keys } from '../../lib/notify/records';
import { SilenceFromConfigurationError, SilenceLimitError } from '../../lib/notify/silences/errors';
import { parseSilence } from '../../lib/notify/silences/parseSilence';
import { retained, SILENCE_LIMITS, SilenceService } from '../../lib/notify/silences/silenceService';
import type { Silence } from '../../lib/notify/silences/silences';
import { FileStore } from '../../lib/state/fileStore';
import { IMPOSSIBLE_TIMES } from '../support/hostileTimes';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const T0 = Date.UTC(2026, 11, 5, 12, 0, 0);
const iso = (t: number): string => new Date(t).toISOString();

let dir = '';
let store: FileStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dtf-silences-'));
  store = new FileStore(join(dir, 'state.json'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const input = (minutes: number, at = T0, matchers: unknown = { instances: ['kafka-*'] }) => ({
  startsAt: iso(at),
  endsAt: iso(at + minutes * MIN),
  matchers,
  createdBy: 'oncall',
});

/** API silences written straight into the index (as the service would), to set up hundreds cheaply. */
async function seed(silences: readonly Silence[]): Promise<void> {
  await store.put(keys.silences, { silences });
}

function stored(i: number, startsAt: number, endsAt: number): Silence {
  return {
    ...parseSilence(input((endsAt - startsAt) / MIN, startsAt), 'seed', {
      id: `sil_seed${String(i).padStart(12, '0')}`,
      source: 'api',
    }),
    createdAt: iso(startsAt),
  };
}

describe('the silence limit counts silences not yet ended', () => {
  it('refuses the 501st live silence, and takes a new one once one has ended or was expired', async () => {
    const live = Array.from({ length: SILENCE_LIMITS.maxLive }, (_, i) => stored(i, T0, T0 + (i + 10) * MIN));
    await seed(live);
    const service = new SilenceService(store, []);
    await expect(service.create(input(60), 'body', T0)).rejects.toBeInstanceOf(SilenceLimitError);
    await service.expire(live[42]?.id ?? '', T0 + MIN);
    await expect(service.create(input(60, T0 + MIN), 'body', T0 + MIN)).resolves.toMatchObject({ source: 'api' });
    await expect(service.create(input(60, T0 + MIN), 'body', T0 + MIN)).rejects.toBeInstanceOf(SilenceLimitError);
    // Ten minutes on, the first silence has ended by itself: room for one more.
    const later = T0 + 10 * MIN;
    await expect(service.create(input(60, later), 'body', later)).resolves.toMatchObject({ source: 'api' });
  });

  it('500 short silences that ended do not lock creation out for the week they stay listed', async () => {
    await seed(Array.from({ length: SILENCE_LIMITS.maxLive }, (_, i) => stored(i, T0, T0 + MIN)));
    const service = new SilenceService(store, []);
    const now = T0 + 2 * MIN;
    await expect(service.create(input(60, now), 'body', now)).resolves.toMatchObject({ source: 'api' });
    const listed = (await service.list(now)).silences;
    // Retention: the most recent `maxEnded` ended ones stay listed beside the live one.
    expect(listed).toHaveLength(SILENCE_LIMITS.maxEnded + 1);
  });

  it('keeps an ended silence listed for 7 days, then drops it', () => {
    const ended = stored(1, T0, T0 + MIN);
    const live = stored(2, T0, T0 + 30 * DAY);
    expect(retained([ended, live], T0 + 7 * DAY)).toEqual([ended, live]);
    expect(retained([ended, live], T0 + MIN + 7 * DAY)).toEqual([live]);
  });

  it('a configured silence is not expired by the service; an unknown id is undefined', async () => {
    const configured = parseSilence({ id: 'cfg', ...input(60) }, 'notify.silences[0]', { source: 'config' });
    const service = new SilenceService(store, [configured]);
    await expect(service.expire('cfg', T0)).rejects.toBeInstanceOf(SilenceFromConfigurationError);
    await expect(service.expire('sil_AAAAAAAAAAAAAAAA', T0)).resolves.toBeUndefined();
    expect((await service.inForce(T0 + MIN)).map((s) => s.id)).toEqual(['cfg']);
  });
});

describe('impossible dates are refused, never shifted', () => {
  it.each(IMPOSSIBLE_TIMES)('endsAt %j: ConfigError naming body.endsAt, nothing stored', async (endsAt) => {
    const service = new SilenceService(store, []);
    const error = await service.create({ ...input(60), endsAt }, 'body', T0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ path: 'body.endsAt' });
    expect(await store.get(keys.silences)).toBeUndefined();
  });

  it('startsAt 2026-02-29 is refused too (the same reader)', async () => {
    const service = new SilenceService(store, []);
    await expect(service.create({ ...input(60), startsAt: '2026-02-29T00:00Z' }, 'body', T0)).rejects.toMatchObject({
      path: 'body.startsAt',
    });
  });
});

describe('stored silences are read, not trusted', () => {
  it('a malformed entry is reported and never matched; the good ones stay; the next write drops it', async () => {
    const good = stored(1, T0, T0 + 60 * MIN);
    await store.put(keys.silences, {
      silences: [
        good,
        { ...good, id: 'sil_bad1', endsAt: '2027-02-30T00:00Z' },
        { ...good, id: 'sil_bad2', matchers: { instances: ['*'.repeat(40)] } },
        { ...good, id: 'sil_bad3', source: 'config' },
        'not a silence',
      ],
    });
    const service = new SilenceService(store, []);
    const listing = await service.list(T0);
    expect(listing.silences.map((s) => s.id)).toEqual([good.id]);
    expect(listing.malformed.map((m) => m.problem)).toEqual([
      expect.stringMatching(/^value\.silences\[1\]\.endsAt: /),
      expect.stringMatching(/^value\.silences\[2\]\.matchers\.instances\[0\]: .*wildcards/),
      expect.stringMatching(/^value\.silences\[3\]\.source: /),
      expect.stringMatching(/^value\.silences\[4\]: must be an object/),
    ]);
    await service.create(input(30), 'body', T0);
    expect((await service.list(T0)).malformed).toEqual([]);
  });

  it('an index that is not a list of silences reads as none, reported', async () => {
    await store.put(keys.silences, { silences: 'everything' });
    const listing = await new SilenceService(store, []).list(T0);
    expect(listing).toEqual({
      silences: [],
      malformed: [{ key: keys.silences, problem: 'value.silences: must be an array' }],
    });
  });
});
