export type * from './types';
export { parseNotifyConfig } from './parseNotifyConfig';
export { resolveDestinations } from './resolveDestinations';
export { runNotifier, type RunDependencies, type RunSummary } from './runNotifier';
export { defaultLog, type LogFn } from './log';
export { TimeBudget, type TimeBudgetOptions } from './timeBudget';
export { planTargets, type Plan, type PlanInput } from './plan';
export { scanTargets, scanInstance, type ScanInput, type ScanOutput, type ScanTotals } from './scan';
export { formatDmsTime, type ListedInstance, type ScanContext } from './listInstance';
export type { CursorWrite, ScanResult } from './recordInstance';
export { deliverOutbox } from './deliver';
export type { DeliverContext, DeliverResult } from './deliveryContext';
export {
  queue,
  claim,
  claimable,
  settleDelivered,
  settleRetry,
  settleDead,
  type OutboxWrite,
  type Retry,
} from './outbox';
export { normalizeTrigger, type Trigger } from './triggerEvent';
export {
  notificationId,
  keys,
  type CursorRecord,
  type SeenRecord,
  type OutboxRecord,
  type OutboxState,
} from './records';
export { webhookUrlProblem, isNonPublicHost } from './urlPolicy';
export { NotifyError, WebhookUrlError } from './errors';
export { DESTINATION_DEFAULTS, NOTIFY_DEFAULTS, DELIVERY, WEBHOOK_HEADERS } from './constants';
export { CHANNELS, standardWebhookSignature, feishuSign, dingtalkSign } from './channels';
export { createNotifyHandler, type NotifyHandlerOptions, type InvocationContext } from './createNotifyHandler';
