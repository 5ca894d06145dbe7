export type * from './types';
export { parseNotifyConfig } from './config/parseNotifyConfig';
export { resolveDestinations } from './deliver/resolveDestinations';
export { runNotifier, type RunDependencies, type RunSummary } from './runNotifier';
export { defaultLog, type LogFn } from './log';
export { TimeBudget, type TimeBudgetOptions } from './timeBudget';
export { planTargets, type Plan, type PlanInput } from './scan/plan';
export { scanTargets, scanInstance, type ScanInput, type ScanOutput, type ScanTotals } from './scan/scan';
export { formatDmsTime, type ListedInstance, type ScanContext } from './scan/listInstance';
export type { CursorWrite, ScanResult } from './scan/recordInstance';
export { deliverOutbox } from './deliver/deliver';
export type { DeliverContext, DeliverResult } from './deliver/deliveryContext';
export {
  queue,
  claim,
  claimable,
  settleDelivered,
  settleRetry,
  settleDead,
  type OutboxWrite,
  type Retry,
} from './deliver/outbox';
export { normalizeTrigger, type Trigger } from './triggerEvent';
export {
  notificationId,
  keys,
  type CursorRecord,
  type SeenRecord,
  type OutboxRecord,
  type OutboxState,
} from './records';
export { webhookUrlProblem, isNonPublicHost } from './deliver/urlPolicy';
export { NotifyError, WebhookUrlError } from './errors';
export { DESTINATION_DEFAULTS, NOTIFY_DEFAULTS, DELIVERY, WEBHOOK_HEADERS } from './constants';
export { CHANNELS, standardWebhookSignature, feishuSign, dingtalkSign } from './channels';
export { createNotifyHandler, type NotifyHandlerOptions, type InvocationContext } from './createNotifyHandler';
