import type { ScriptedResponse } from './index';

const ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What PagerDuty's Events API v2 (`POST /v2/enqueue`) answers to `body`, as its reference describes
 * it: 202 `{status: "success", message, dedup_key}`, or 400 `{status: "invalid event", message,
 * errors}` when a required field is missing or out of range (routing key; event action; a trigger's
 * payload summary ≤ 1024 characters, source, severity; dedup_key ≤ 255). `routingKey`, when known,
 * must match (how PagerDuty answers an unknown key is not modelled more closely than a 400).
 */
export function pagerDutyAnswer(body: unknown, routingKey: string | undefined): ScriptedResponse {
  const errors: string[] = [];
  if (!isObject(body)) errors.push('Event object is not JSON');
  const b = isObject(body) ? body : {};
  if (typeof b.routing_key !== 'string' || b.routing_key === '') errors.push("'routing_key' is missing");
  else if (routingKey !== undefined && b.routing_key !== routingKey) errors.push("'routing_key' is invalid");
  if (!ACTIONS.includes(b.event_action as (typeof ACTIONS)[number])) errors.push("'event_action' is invalid");
  if (b.dedup_key !== undefined && (typeof b.dedup_key !== 'string' || b.dedup_key.length > 255))
    errors.push("'dedup_key' is invalid");
  if (b.event_action !== 'trigger' && typeof b.dedup_key !== 'string') errors.push("'dedup_key' is required");
  if (b.event_action === 'trigger') {
    const p = isObject(b.payload) ? b.payload : undefined;
    if (!p) errors.push("'payload' is missing");
    else {
      if (typeof p.summary !== 'string' || p.summary === '' || p.summary.length > 1024)
        errors.push("'payload.summary' is invalid");
      if (typeof p.source !== 'string' || p.source === '') errors.push("'payload.source' is missing");
      if (!SEVERITIES.includes(p.severity as (typeof SEVERITIES)[number])) errors.push("'payload.severity' is invalid");
    }
  }
  if (errors.length > 0)
    return { status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors } };
  return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: String(b.dedup_key ?? '') } };
}
