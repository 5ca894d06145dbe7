export {
  createHttpHandler,
  type HttpHandler,
  type HttpHandlerOptions,
  type ContextLike,
} from './createHttpHandler';
export { listRoute } from './listRoute';
export { showRoute } from './showRoute';
export { taskRoute, upstreamOk, type TaskRouteSpec, type RouteContext, type TasksServices } from './route';
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
export { nextOffsetAfter, nextPageHeaders } from './pagingHeaders';
