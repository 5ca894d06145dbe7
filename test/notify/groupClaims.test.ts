import { describe, expect, it } from 'vitest';
import type { Claimed } from '../../lib/notify/deliver/deliveryContext';
import { groupClaims } from '../../lib/notify/deliver/groupClaims';
import type { DestinationType, Notification, ResolvedDestination } from '../../lib/notify/types';

const dest = (id: string, type: DestinationType) => ({ id, type }) as unknown as ResolvedDestination;
const destinations = new Map([
  ['hook', dest('hook', 'webhook')],
  ['chat', dest('chat', 'slack')],
]);

let n = 0;
function item(destinationId: string, instanceId: string, createdAt: number): Claimed {
  const id = `msg_${++n}`;
  const task = { id: `t${n}`, name: 'x', status: 'FAILED', user_name: 'u', created_at: '', updated_at: '' };
  const notification = { id, destinationId, projectId: 'p', instanceId, task } as unknown as Notification;
  return { key: `outbox#${id}`, version: 2, record: { notification, state: 'pending', attempts: 0, createdAt } };
}
const ids = (groups: Claimed[][] | undefined) => groups?.map((g) => g.map((c) => c.record.notification.id));

describe('groupClaims', () => {
  it('one message per item for webhooks, per instance for chat platforms, oldest first', () => {
    n = 0;
    const claimed = [
      item('chat', 'a', 3), // msg_1
      item('hook', 'a', 2), // msg_2
      item('chat', 'b', 1), // msg_3
      item('chat', 'a', 0), // msg_4
      item('hook', 'a', 1), // msg_5
      item('gone', 'a', 0), // msg_6: destination no longer configured
    ];
    const byDest = groupClaims(claimed, destinations);
    expect([...byDest.keys()].sort()).toEqual(['chat', 'hook']);
    expect(ids(byDest.get('hook'))).toEqual([['msg_5'], ['msg_2']]);
    expect(ids(byDest.get('chat'))).toEqual([['msg_4', 'msg_1'], ['msg_3']]);
  });
});
