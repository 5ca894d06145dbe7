export { createHttpHandler, type HttpHandler, type HttpHandlerOptions, type ContextLike } from './createHttpHandler';
export { listRoute } from './listRoute';
export { showRoute } from './showRoute';
export { upstreamOk, type HttpRoute, type RouteContext, type RouteOutcome } from './route';
export {
  normalizeEvent,
  detectEventShape,
  type NormalizedRequest,
  type HttpEventShape,
  type FunctionGraphApigEvent,
} from './normalizeEvent';
export {
  validateListRequest,
  validateShowRequest,
  isCalendarTime,
  ID_RULE,
  TIME_RULE,
  type ListRequest,
  type ShowRequest,
  type TaskPath,
} from './validateRequest';
export { authenticate, resolveTokens, TokenSet, MIN_TOKEN_LENGTH } from './bearerAuth';
export { toErrorResponse, DEFAULT_RETRY_AFTER_SECONDS, type ErrorOutcome } from './errorResponse';
export {
  HttpError,
  ValidationError,
  AuthenticationError,
  NotServedError,
  EventShapeError,
  isHttpError,
} from './errors';
export { nextOffsetAfter, nextPageHeaders } from './pagingHeaders';
export { jsonResponse, type HttpResponse, type ErrorBody } from './response';
export { Redactor } from './redact';
export type { RequestLogLine, LogSink } from './requestLog';
export * from './constants';
