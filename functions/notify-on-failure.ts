import { createNotifyHandler } from '../lib/notify/createNotifyHandler';

/**
 * Scheduled scan of every watched DMS instance; webhook notifications for failed and stuck tasks
 * (README, "Notifications"). Accepts an EventBridge schedule event or a FunctionGraph timer event.
 * The configuration is validated here, at cold start.
 */
export const handler = createNotifyHandler();
