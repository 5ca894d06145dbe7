import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, MIN, type Harness } from './harness';
import type { TaskStatus } from '../../lib/dms/types';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Body = { type: string; data: Record<string, unknown> };
const bodies = (x: Harness): Body[] => x.sink.accepted.filter((r) => r.type === 'webhook').map((r) => r.body as Body);

/** A task in `status` created `ageMin` minutes before the harness clock. */
function addRunning(x: Harness, inst: string, name: string, ageMin: number, status: TaskStatus = 'EXECUTING'): string {
  const created_at = new Date(x.clock.t - ageMin * MIN).toISOString();
  return x.emulator.addTask(x.projectId, inst, { name, status, created_at }).id;
}

describe('the notifier lifecycle: stuck, reminders, recovered (emulator + sink, controlled clock)', () => {
  it('reminds a stuck task every repeatAfterMinutes up to maxReminders, then announces its recovery', async () => {
    h = await createHarness({
      destinations: [
        { type: 'webhook', name: 'hook' },
        { type: 'slack', name: 'chat' },
      ],
      notify: { stuckAfterMinutes: 60, repeatAfterMinutes: 30, maxReminders: 2 },
    });
    const inst = h.addInstance('orders');
    await h.run(); // baseline, empty
    const task = addRunning(h, inst, 'modifyInstanceSpec', 50);
    h.advance(5 * MIN);
    expect(await h.run()).toMatchObject({ stuck: 0, sent: 0 }); // 55 min < 60
    h.advance(5 * MIN);
    expect(await h.run()).toMatchObject({ stuck: 1, reminders: 0, sent: 2 });
    h.advance(20 * MIN);
    expect(await h.run()).toMatchObject({ stuck: 0, reminders: 0, sent: 0 }); // 20 min < 30 since the notice
    h.advance(10 * MIN);
    expect(await h.run()).toMatchObject({ reminders: 1, sent: 2 });
    h.advance(30 * MIN);
    expect(await h.run()).toMatchObject({ reminders: 1, sent: 2 });
    for (let i = 0; i < 3; i++) {
      h.advance(30 * MIN);
      expect(await h.run()).toMatchObject({ reminders: 0, sent: 0 }); // at most 2
    }
    h.emulator.setTaskStatus(h.projectId, inst, task, 'SUCCESS');
    h.advance(5 * MIN);
    expect(await h.run()).toMatchObject({ recovered: 1, sent: 2 });
    h.advance(5 * MIN);
    expect(await h.run()).toMatchObject({ recovered: 0, sent: 0 });

    const hook = bodies(h);
    expect(hook.map((b) => b.type)).toEqual([
      'dms.task.stuck',
      'dms.task.reminder',
      'dms.task.reminder',
      'dms.task.recovered',
    ]);
    expect(hook[1]?.data).toMatchObject({ event: 'reminder', reminder: 1, max_reminders: 2, stuck_minutes: 90 });
    expect(hook[2]?.data).toMatchObject({ reminder: 2, stuck_minutes: 120 });
    expect(hook[3]?.data).toMatchObject({ event: 'recovered', task: { id: task, status: 'SUCCESS' } });
    // Created 50 min before the clock, succeeded 5+5+20+10+30+90 min later: ran 210 min.
    expect(hook[3]?.data.ran_minutes).toBe(210);
    const ids = h.sink.accepted.filter((r) => r.type === 'webhook').map((r) => r.webhookId);
    expect(new Set(ids).size).toBe(4);
    const chat = h.sink.accepted.filter((r) => r.type === 'slack').map((r) => r.raw);
    expect(chat).toHaveLength(4);
    expect(chat[0]).toContain('STUCK EXECUTING');
    expect(chat[1]).toContain('STILL STUCK EXECUTING (reminder 1 of 2)');
    expect(chat[1]).toContain('1 task still stuck');
    expect(chat[3]).toContain('RECOVERED SUCCESS');
    expect(chat[3]).toContain('ran 3h30m');
  });

  it('a stuck task that fails gets the failure notice and no recovered notice', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }], notify: { maxReminders: 0 } });
    const inst = h.addInstance('a');
    await h.run();
    const task = addRunning(h, inst, 'restartInstance', 200);
    h.advance(5 * MIN);
    expect(await h.run()).toMatchObject({ stuck: 1, sent: 1 });
    h.advance(300 * MIN);
    expect(await h.run()).toMatchObject({ reminders: 0, sent: 0 }); // reminders off
    h.emulator.setTaskStatus(h.projectId, inst, task, 'FAILED');
    h.advance(5 * MIN);
    expect(await h.run()).toMatchObject({ newFailures: 1, recovered: 0, sent: 1 });
    h.emulator.setTaskStatus(h.projectId, inst, task, 'SUCCESS');
    h.advance(5 * MIN);
    expect(await h.run()).toMatchObject({ recovered: 0, sent: 0 });
    expect(bodies(h).map((b) => b.type)).toEqual(['dms.task.stuck', 'dms.task.failed']);
  });

  it('a task that was stuck at the baseline gets neither reminders nor a recovered notice', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }], notify: { repeatAfterMinutes: 10 } });
    const inst = h.addInstance('a');
    const task = addRunning(h, inst, 'restartInstance', 500);
    expect(await h.run()).toMatchObject({ baselined: 1, sent: 0 });
    h.advance(60 * MIN);
    expect(await h.run()).toMatchObject({ reminders: 0, sent: 0 });
    h.emulator.setTaskStatus(h.projectId, inst, task, 'SUCCESS');
    h.advance(5 * MIN);
    expect(await h.run()).toMatchObject({ recovered: 0, sent: 0 });
    expect(h.sink.accepted).toHaveLength(0);
  });

  it('a task that succeeds without having been announced as stuck is not recovered', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }] });
    const inst = h.addInstance('a');
    await h.run();
    const task = addRunning(h, inst, 'modifyInstanceSpec', 100);
    h.advance(5 * MIN);
    h.emulator.setTaskStatus(h.projectId, inst, task, 'SUCCESS');
    h.advance(30 * MIN);
    expect(await h.run()).toMatchObject({ stuck: 0, recovered: 0, sent: 0 });
  });

  it('stuck thresholds per task-name glob: the longest matching glob wins, others get the default', async () => {
    h = await createHarness({
      destinations: [{ type: 'webhook', name: 'hook' }],
      notify: {
        stuckAfterMinutes: { default: 120, tasks: { 'restart*': 20, restartInstance: 40, 'modify*': 90 } },
      },
    });
    const inst = h.addInstance('a');
    await h.run();
    const names = ['restartBroker', 'restartInstance', 'modifyInstanceSpec', 'createTopic'];
    const ids = new Map(names.map((n) => [addRunning(h as Harness, inst, n, 0), n]));
    const stuckAt: Record<string, number> = {};
    for (let minute = 10; minute <= 130; minute += 10) {
      h.advance(10 * MIN);
      await h.run();
      for (const b of bodies(h)) {
        const name = ids.get((b.data.task as { id: string }).id) as string;
        stuckAt[name] ??= minute;
      }
    }
    expect(stuckAt).toEqual({ restartBroker: 20, restartInstance: 40, modifyInstanceSpec: 90, createTopic: 120 });
  });
});
