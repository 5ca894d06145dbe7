import { PAGERDUTY_DEFAULT_SEVERITY } from '../constants';
import { incidentKey } from '../records';
import type { Notification } from '../types';
import { clip, eventLabel, readJson, title } from './render';
import type { Channel, Outcome } from './types';

/** `payload.summary` at most 1024 characters; `dedup_key` at most 255 (PagerDuty Events API v2). */
export const PAGERDUTY_LIMITS = { summaryChars: 1024 } as const;

/**
 * What a notification does to the PagerDuty incident of its task: `recovered` resolves it; failed,
 * stuck and reminder trigger (the same `dedup_key`, so they update one incident, not open several).
 */
export function pagerDutyAction(n: Notification): 'trigger' | 'resolve' {
  return n.event === 'recovered' ? 'resolve' : 'trigger';
}

/**
 * PagerDuty Events API v2: `POST {endpoint}/v2/enqueue`, one event per notification, the routing key
 * (a secret) in the body. The `dedup_key` is derived from the task's stable key (project, instance,
 * task, destination), so every event about one task lands on one incident and `recovered` resolves it.
 * 202 `{"status": "success"}` is delivered; 400 (an invalid event) is permanent; 429 and 5xx are
 * retried with backoff by the common rules.
 */
export const pagerDutyChannel: Channel = {
  groups: false,
  build(dest, items) {
    const n = items[0] as Notification;
    const action = pagerDutyAction(n);
    const dedup_key = incidentKey(n.projectId, n.instanceId, n.task.id, n.destinationId);
    const summary = clip(`${title([n])}: ${eventLabel(n)} ${n.task.name} (task ${n.task.id})`, 1024);
    const event = {
      routing_key: dest.secrets[0] ?? '',
      event_action: action,
      dedup_key,
      ...(action === 'trigger'
        ? {
            payload: {
              summary: clip(summary, PAGERDUTY_LIMITS.summaryChars),
              source: `${n.instanceName} (${n.instanceId})`,
              severity: n.test ? 'info' : (dest.severity?.[n.event] ?? PAGERDUTY_DEFAULT_SEVERITY[n.event]),
              timestamp: n.detectedAt,
              component: n.instanceName,
              group: `dms-${n.engine}`,
              class: clip(n.task.name, 120),
              custom_details: {
                event: n.event,
                project_id: n.projectId,
                region: n.region,
                instance_id: n.instanceId,
                task: n.task,
                ...(n.stuckMinutes !== undefined ? { stuck_minutes: n.stuckMinutes } : {}),
                ...(n.reminder !== undefined ? { reminder: n.reminder } : {}),
              },
            },
          }
        : {}),
      client: 'dms-task-functions',
    };
    return {
      url: dest.url.href,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
      shown: 1,
    };
  },
  readBody(text): Outcome {
    return readJson(text)?.status === 'success'
      ? { kind: 'delivered' }
      : { kind: 'retry', reason: 'pagerduty: 2xx without status success' };
  },
  readError(status) {
    if (status === 400) return { kind: 'permanent', reason: 'pagerduty HTTP 400 (invalid event)' };
    return undefined;
  },
};
