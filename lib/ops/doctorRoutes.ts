import * as ERROR_CODES from '../http/errorCodes';
import { ValidationError } from '../http/errors';
import * as HEADERS from '../http/headers';
import { type HttpResponse, jsonResponse } from '../http/response';
import type { EdgeRequest, Route, RouteOutcome } from '../http/routes';
import { singleQuery } from '../http/singleQuery';
import { testDestination } from './testDestination';
import { readConfigDocument } from '../config/readConfigDocument';
import { resolveConfigDocument } from '../runtime/resolveConfigDocument';
import { doctorInputFrom } from './doctor/doctorInputFrom';
import { renderDoctorText } from './doctor/renderDoctor';
import { runDoctor } from './doctor/runDoctor';
import type { OpsServices } from './opsServices';

function textResponse(status: number, body: string, requestId: string): HttpResponse {
  return {
    statusCode: status,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      [HEADERS.requestId]: requestId,
    },
    body,
    isBase64Encoded: false,
  };
}

/**
 * `GET /ops/v1/doctor[?format=text]`: the self-check with the deployment's own credentials and store
 * (README, "After deploying"). The document is read again here, as deployed: a self-check is an
 * operator's action, not a cold-start cost.
 */
async function doctor(r: EdgeRequest<OpsServices>): Promise<RouteOutcome> {
  const query = singleQuery(r.req, ['format']);
  const format = query.get('format') ?? 'json';
  if (format !== 'json' && format !== 'text') {
    throw new ValidationError('format', ERROR_CODES.invalidFormat, 'must be json or text');
  }
  const { services } = r;
  const document = await resolveConfigDocument(readConfigDocument(services.env), r.context, { env: services.env });
  const report = await runDoctor(
    await doctorInputFrom(document, {
      env: services.env,
      context: r.context,
      store: await services.store(),
      now: services.now,
    }),
  );
  return {
    response:
      format === 'text'
        ? textResponse(200, renderDoctorText(report), r.requestId)
        : jsonResponse(200, report, r.requestId),
  };
}

/** `POST /ops/v1/destinations/{destination_id}/test`: one marked notification, its answer and time. */
async function testRoute(r: EdgeRequest<OpsServices>): Promise<RouteOutcome> {
  singleQuery(r.req, []);
  const result = await testDestination(r.services, r.params.get('destination_id') ?? '');
  return { response: jsonResponse(200, result, r.requestId) };
}

/** The routes of the self-check and the test notifications, behind the bearer check of the edge. */
export const DOCTOR_API_ROUTES: readonly Route<OpsServices>[] = [
  { method: 'GET', path: '/ops/v1/doctor', answer: doctor },
  { method: 'POST', path: '/ops/v1/destinations/{destination_id}/test', answer: testRoute },
];
