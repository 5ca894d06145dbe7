import { parseConfig } from '../../config/parseConfig';
import type { AppConfig } from '../../config/types';
import type { NotifyConfig } from '../types';
import { parseNotifyConfig } from './parseNotifyConfig';

/** What the notifier reads: the shared settings with routes and discovery per project, and `notify` validated. */
export interface NotifierConfig extends Omit<AppConfig, 'notify'> {
  readonly notify: NotifyConfig;
}

/** Validates the document with the shared parser (`parseConfig`) and the notifier's (`parseNotifyConfig`). */
export function parseNotifierConfig(doc: unknown, env: NodeJS.ProcessEnv): NotifierConfig {
  const app = parseConfig(doc);
  return { ...app, notify: parseNotifyConfig(app, env) };
}
