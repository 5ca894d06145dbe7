import { afterEach, describe, expect, it } from 'vitest';
import { fitItems, moreLine } from '../../lib/notify/channels/render';
import { DELIVERY } from '../../lib/notify/constants';
import type { Notification } from '../../lib/notify/types';
import { createHarness, MIN, type Harness } from './harness';

/** Issue 12 §5: counts that tell the truth. */
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const slackText = (x: Harness): string[] =>
  x.sink.accepted.filter((r) => r.type === 'slack').map((r) => (r.body as { text: string }).text);

describe('counts that tell the truth (§5)', () => {
  it('more failures than a run takes: the message states the real pending number, the summary the rest', async () => {
    h = await createHarness({ destinations: [{ type: 'slack', name: 'chat' }] });
    const inst = h.addInstance('orders');
    await h.run();
    h.advance(MIN);
    const total = DELIVERY.maxItemsPerRun + 200;
    for (let i = 0; i < total; i++) h.fail(inst);
    const first = await h.run();
    expect(first).toMatchObject({ queued: total, newFailures: total, sent: DELIVERY.maxItemsPerRun, pending: 200 });
    expect(first.pendingAtLeast).toBeUndefined();
    expect(slackText(h)).toEqual([
      `DMS kafka orders: ${DELIVERY.maxItemsPerRun} tasks failed (${total} pending for this instance) (980 not shown)`,
    ]);
    h.advance(5 * MIN);
    expect(await h.run()).toMatchObject({ queued: 0, sent: 200, pending: 0 });
    expect(slackText(h)[1]).toBe('DMS kafka orders: 200 tasks failed (180 not shown)');
  });

  it('a cut list names its reason: the item limit or the size budget', () => {
    const n = (i: number): Notification =>
      ({ id: `m${i}`, task: { id: `t${i}`, name: 'x'.repeat(100) } }) as unknown as Notification;
    const items = Array.from({ length: 30 }, (_, i) => n(i));
    const render = (shown: readonly Notification[], more: number, cut: Parameters<typeof moreLine>[1]) =>
      JSON.stringify({ shown: shown.map((s) => s.task.name), more: more > 0 ? moreLine(more, cut) : '' });
    const byItems = fitItems(items, 20, 1_000_000, render);
    expect(byItems.shown).toBe(20);
    expect(JSON.parse(byItems.body).more).toBe('…and 10 more (not shown: at most 20 listed per message)');
    const bySize = fitItems(items, 20, 1200, render);
    expect(bySize.shown).toBeLessThan(20);
    expect(JSON.parse(bySize.body).more).toBe(`…and ${30 - bySize.shown} more (not shown: message size limit)`);
  });
});
