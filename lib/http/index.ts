export {
  normalizeEvent,
  detectEventShape,
  type NormalizedRequest,
  type HttpEventShape,
  type FunctionGraphApigEvent,
} from './normalizeEvent';
export { authenticate, resolveTokens, TokenSet, MIN_TOKEN_LENGTH } from './bearerAuth';
export { describeError, errorJson, DEFAULT_RETRY_AFTER_SECONDS, type ErrorParts } from './errorResponse';
export {
  HttpError,
  ValidationError,
  AuthenticationError,
  NotServedError,
  EventShapeError,
  isHttpError,
} from './errors';
export { jsonResponse, type HttpResponse, type ErrorBody } from './response';
export { Redactor } from './redact';
export type { RequestLogLine, LogSink } from './requestLog';
export * from './constants';
