import type { DestinationType } from '../types';
import { dingtalkChannel } from './dingtalk';
import { feishuChannel } from './feishu';
import { pagerDutyChannel } from './pagerduty';
import { slackChannel } from './slack';
import { smnChannel } from './smn';
import { teamsChannel } from './teams';
import type { Channel } from './types';
import { webhookChannel } from './webhook';
import { wecomChannel } from './wecom';

export const CHANNELS: Readonly<Record<DestinationType, Channel>> = {
  webhook: webhookChannel,
  slack: slackChannel,
  teams: teamsChannel,
  feishu: feishuChannel,
  dingtalk: dingtalkChannel,
  wecom: wecomChannel,
  smn: smnChannel,
  pagerduty: pagerDutyChannel,
};

export { standardWebhookSignature, webhookPayload } from './webhook';
export { feishuSign } from './feishu';
export { dingtalkSign } from './dingtalk';
export { pagerDutyAction } from './pagerduty';
export { clipBytes, SMN_LIMITS } from './smn';
export type { Channel, Outcome, OutgoingRequest, BuildContext } from './types';
