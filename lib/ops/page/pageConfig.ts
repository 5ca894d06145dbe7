import { parseConfig } from '../../config/parseConfig';
import { parseHttpConfig } from '../../config/parseHttpConfig';
import { readObject } from '../../config/readers';
import type { AppConfig, HttpConfig } from '../../config/types';
import { parseNotifyConfig } from '../../notify/config/parseNotifyConfig';
import type { NotifyConfig } from '../../notify/types';

/** What the page reads: the shared settings, `http` (tokens) and `notify` (store, destinations, statuses). */
export interface PageConfig {
  readonly app: AppConfig;
  readonly http: HttpConfig;
  readonly notify: NotifyConfig;
}

/** Validates the document with the notifier's and the HTTP functions' own parsers. */
export function parsePageConfig(doc: unknown, env: NodeJS.ProcessEnv): PageConfig {
  const app = parseConfig(doc);
  return { app, http: parseHttpConfig(readObject(doc, '(root)').http), notify: parseNotifyConfig(app, env) };
}
