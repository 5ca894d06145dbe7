/** What started a run, normalised from an EventBridge schedule, a FunctionGraph timer, or a manual call. */
export interface Trigger {
  readonly kind: 'aws-schedule' | 'functiongraph-timer' | 'manual';
  /** The trigger's time, when it gave one. */
  readonly time?: string;
  readonly name?: string;
}

/**
 * Recognises `{"source":"aws.events","detail-type":"Scheduled Event",...}` and FunctionGraph's
 * `{"version":"v1.0","time":"...","trigger_type":"TIMER","trigger_name":"...","user_event":"..."}`;
 * anything else is a manual run.
 */
export function normalizeTrigger(event: unknown): Trigger {
  if (typeof event !== 'object' || event === null) return { kind: 'manual' };
  const e = event as Record<string, unknown>;
  const time = typeof e.time === 'string' ? e.time : undefined;
  if (e.trigger_type === 'TIMER') {
    const name = typeof e.trigger_name === 'string' ? e.trigger_name : undefined;
    return { kind: 'functiongraph-timer', ...(time ? { time } : {}), ...(name ? { name } : {}) };
  }
  if (e.source === 'aws.events' || e['detail-type'] === 'Scheduled Event')
    return { kind: 'aws-schedule', ...(time ? { time } : {}) };
  return { kind: 'manual', ...(time ? { time } : {}) };
}
