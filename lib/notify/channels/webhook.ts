import { createHmac } from 'node:crypto';
import { WEBHOOK_HEADERS } from '../constants';
import type { Notification } from '../types';
import { clip } from './render';
import type { Channel } from './types';

/** `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>` per secret, space-separated (Standard Webhooks). */
export function standardWebhookSignature(
  secrets: readonly string[],
  id: string,
  timestampSeconds: number,
  body: string,
): string {
  return secrets
    .map((s) => {
      const key = Buffer.from(s.startsWith('whsec_') ? s.slice(6) : s, 'base64');
      return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
    })
    .join(' ');
}

/**
 * The JSON payload: `type` `dms.task.<event>` (`failed`, `stuck`, `reminder`, `recovered`), like Standard
 * Webhooks' examples; `stuck_minutes` for stuck and reminder, `reminder`/`max_reminders` for a reminder,
 * `ran_minutes` for recovered.
 */
export function webhookPayload(n: Notification, now: Date, nameMax = 1000): string {
  return JSON.stringify({
    type: n.test ? 'dms.task.test' : `dms.task.${n.event}`,
    timestamp: now.toISOString(),
    data: {
      event: n.event,
      project_id: n.projectId,
      region: n.region,
      instance: { id: n.instanceId, name: n.instanceName, engine: n.engine },
      task: { ...n.task, name: clip(n.task.name, nameMax) },
      detected_at: n.detectedAt,
      ...(n.stuckMinutes !== undefined ? { stuck_minutes: n.stuckMinutes } : {}),
      ...(n.reminder !== undefined ? { reminder: n.reminder, max_reminders: n.maxReminders ?? n.reminder } : {}),
      ...(n.ranMinutes !== undefined ? { ran_minutes: n.ranMinutes } : {}),
      ...(n.heldUntil !== undefined ? { held_until: n.heldUntil } : {}),
    },
  });
}

/**
 * Generic webhook. Never grouped: each (task, event, destination) is one message with its own
 * stable `webhook-id`, which is the receiver's idempotency key across retries.
 */
export const webhookChannel: Channel = {
  groups: false,
  build(dest, items, ctx) {
    const n = items[0];
    if (!n) throw new TypeError('webhook message without item');
    let body = webhookPayload(n, ctx.now);
    if (Buffer.byteLength(body) > dest.maxBodyBytes) body = webhookPayload(n, ctx.now, 64);
    const ts = Math.floor(ctx.now.getTime() / 1000);
    return {
      url: dest.url.href,
      headers: {
        'content-type': 'application/json',
        [WEBHOOK_HEADERS.id]: n.id,
        [WEBHOOK_HEADERS.timestamp]: String(ts),
        [WEBHOOK_HEADERS.signature]: standardWebhookSignature(dest.secrets, n.id, ts, body),
      },
      body,
      shown: 1,
    };
  },
  readBody: () => ({ kind: 'delivered' }),
};
