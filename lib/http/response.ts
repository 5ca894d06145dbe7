import * as HEADERS from './headers';

/** What every handler returns: valid for API Gateway 1.0 and 2.0 and for FunctionGraph APIG. */
export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly isBase64Encoded: false;
}

/** The upstream error shape, plus our request id (as API Gateway's own error bodies carry `request_id`). */
export interface ErrorBody {
  readonly error_code: string;
  readonly error_msg: string;
  readonly request_id: string;
}

export function jsonResponse(
  statusCode: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): HttpResponse {
  return {
    statusCode,
    headers: {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
      [HEADERS.requestId]: requestId,
    },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}
