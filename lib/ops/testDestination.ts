import * as ERROR_CODES from '../http/errorCodes';
import { HttpError } from '../http/errors';
import { sendTestNotification, type TestSendResult, TestTooSoonError } from '../notify/deliver/sendTest';
import type { OpsServices } from './opsServices';

/**
 * One test notification to a configured destination with the warm instance's store and credentials: the
 * operator API's `POST /ops/v1/destinations/{id}/test` and the fleet page's "Send test" both answer with
 * it. An unknown id is a 404 (`DTF.00404011`); a second test within 10 s a 429 with `Retry-After`.
 */
export async function testDestination(services: OpsServices, id: string): Promise<TestSendResult> {
  if (!services.config.notify.destinations.has(id)) {
    throw new HttpError(404, ERROR_CODES.destinationNotFound, 'no destination with this id is configured');
  }
  try {
    return await sendTestNotification(services.config.notify, id, {
      store: await services.store(),
      secrets: services.secrets.options,
      credentials: services.secrets.credentials,
      now: services.now,
    });
  } catch (err) {
    if (!(err instanceof TestTooSoonError)) throw err;
    const seconds = Math.ceil(err.retryAfterMs / 1000);
    throw new HttpError(429, ERROR_CODES.testTooSoon, `${err.message}: try again in ${seconds} s`, {
      'Retry-After': String(seconds),
    });
  }
}
