import { afterEach, describe, expect, it } from 'vitest';
import { keys } from '../../lib/notify/records';
import { createHarness, HOUR, MIN, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface Posted {
  readonly type: string;
  readonly data: { readonly task: { readonly id: string; readonly status: string } };
}
const posted = (x: Harness): Posted[] =>
  x.sink.accepted.filter((r) => r.type === 'webhook').map((r) => r.body as Posted);

/** A harness with one instance, its first scan done, and one task announced as stuck (2 h threshold). */
async function announcedStuck(name = 'kafkaResetConsumerOffset'): Promise<{ x: Harness; inst: string; id: string }> {
  const x = await createHarness({
    destinations: [
      { type: 'webhook', name: 'hook' },
      { type: 'pagerduty', name: 'pd' },
    ],
  });
  h = x;
  const inst = x.addInstance('orders');
  await x.run();
  const created = new Date(x.clock.t - 125 * MIN).toISOString();
  const task = x.emulator.addTask(x.projectId, inst, { name, status: 'EXECUTING', created_at: created });
  x.advance(MIN);
  expect(await x.run()).toMatchObject({ stuck: 1 });
  return { x, inst, id: task.id };
}

/** PagerDuty's event actions for the task's incident (one dedup_key per task and destination). */
const pdActions = (x: Harness): string[] =>
  x.sink.accepted
    .filter((r) => r.type === 'pagerduty')
    .map((r) => `${(r.body as { event_action: string }).event_action}`);

describe('a task announced as stuck that does not end in SUCCESS gets a notice (issue 18 item 10)', () => {
  it('CANCELLED: a failed notice with the status; the PagerDuty incident stays open (trigger)', async () => {
    const { x, inst, id } = await announcedStuck();
    x.emulator.setTaskStatus(x.projectId, inst, id, 'CANCELLED');
    x.advance(MIN);
    expect(await x.run()).toMatchObject({ newFailures: 1 });
    const hooks = posted(x);
    expect(hooks.map((p) => `${p.type} ${p.data.task.status}`)).toEqual([
      'dms.task.stuck EXECUTING',
      'dms.task.failed CANCELLED',
    ]);
    expect(pdActions(x)).toEqual(['trigger', 'trigger']);
    // Once: nothing more on later runs.
    x.advance(MIN);
    expect(await x.run()).toMatchObject({ newFailures: 0, sent: 0 });
  });

  it('DELETED is a failure status by default (Huawei’s provider ends its waits as failed on it)', async () => {
    const { x, inst, id } = await announcedStuck();
    x.emulator.setTaskStatus(x.projectId, inst, id, 'DELETED');
    x.advance(MIN);
    expect(await x.run()).toMatchObject({ newFailures: 1 });
    expect(posted(x).at(-1)?.data.task.status).toBe('DELETED');
  });

  it('vanished (its record deleted, show answers 404): a failed notice with status VANISHED, once', async () => {
    const { x, inst, id } = await announcedStuck();
    x.emulator.deleteTask(x.projectId, inst, id);
    x.advance(MIN);
    expect(await x.run()).toMatchObject({ newFailures: 1 });
    const last = posted(x).filter((p) => p.type === 'dms.task.failed');
    expect(last.map((p) => `${p.data.task.id} ${p.data.task.status}`)).toEqual([`${id} VANISHED`]);
    const shows = x.emulator.requests.filter((q) => q.path.endsWith(`/tasks/${id}`));
    expect(shows.map((q) => q.status)).toEqual([404]);
    x.advance(MIN);
    expect(await x.run()).toMatchObject({ newFailures: 0, sent: 0 });
    const cursor = await x.store.get(keys.cursor(x.projectId, inst));
    expect(cursor?.value.openStuck).toBeUndefined();
  });

  it('out of the listing window (stuck over a day), then SUCCESS: looked up by id, recovered sent', async () => {
    const { x, inst, id } = await announcedStuck();
    for (let i = 0; i < 6; i++) {
      x.advance(5 * HOUR);
      await x.run();
    }
    // Created 32 h ago: the listing (24 h before the last scan) no longer shows it.
    x.emulator.resetRequests();
    x.emulator.setTaskStatus(x.projectId, inst, id, 'SUCCESS');
    x.advance(MIN);
    expect(await x.run()).toMatchObject({ recovered: 1 });
    expect(x.emulator.requests.filter((q) => q.path.endsWith(`/tasks/${id}`)).map((q) => q.status)).toEqual([200]);
    expect(pdActions(x).at(-1)).toBe('resolve');
  });
});
