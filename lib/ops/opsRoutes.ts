import { jsonResponse } from '../http/response';
import type { EdgeRequest, Route, RouteOutcome } from '../http/routes';
import { singleQuery } from '../http/singleQuery';
import { SilenceService } from '../notify/silences/silenceService';
import { readHistory, validateHistoryQuery } from './history';
import type { OpsServices } from './opsServices';
import { createSilenceFrom, expireSilenceById, listSilences } from './silencesApi';

/** The routes, as logged (`route` in the request log line) and documented in `openapi/openapi.json`. */
export const OPS_ROUTES = {
  history: 'GET /ops/v1/history',
  listSilences: 'GET /ops/v1/silences',
  createSilence: 'POST /ops/v1/silences',
  expireSilence: 'DELETE /ops/v1/silences/{silence_id}',
} as const;

/** The one silence service over the notifier's store and the configured silences. */
async function silencesOf(services: OpsServices): Promise<SilenceService> {
  return new SilenceService(await services.store(), services.config.notify.silences);
}

/** A JSON answer of the operator API. */
async function json(r: EdgeRequest<OpsServices>, status: number, body: Promise<unknown>): Promise<RouteOutcome> {
  return { response: jsonResponse(status, await body, r.requestId) };
}

/**
 * The operator API (README, "Operator API"): the outbox history and the silences, behind the bearer
 * check of the edge. Nothing is read before the query is validated.
 */
export const OPS_API_ROUTES: readonly Route<OpsServices>[] = [
  {
    method: 'GET',
    path: '/ops/v1/history',
    answer: async (r) => {
      const query = validateHistoryQuery(r.req);
      return json(r, 200, readHistory(await r.services.store(), query));
    },
  },
  {
    method: 'GET',
    path: '/ops/v1/silences',
    answer: async (r) => {
      singleQuery(r.req, []);
      const { services } = r;
      return json(r, 200, listSilences(await silencesOf(services), services.now()));
    },
  },
  {
    method: 'POST',
    path: '/ops/v1/silences',
    answer: async (r) => {
      singleQuery(r.req, []);
      return json(r, 201, createSilenceFrom(r.req, await silencesOf(r.services), r.services.now()));
    },
  },
  {
    method: 'DELETE',
    path: '/ops/v1/silences/{silence_id}',
    answer: async (r) => {
      singleQuery(r.req, []);
      const { services } = r;
      const id = r.params.get('silence_id') ?? '';
      return json(r, 200, expireSilenceById(id, await silencesOf(services), services.now()));
    },
  },
];
