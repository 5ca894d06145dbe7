/**
 * A local emulator of the Huawei Cloud DMS background-task API, for tests and `npm start`.
 * Test support only: nothing under `lib/` or `functions/` may import it.
 */
export { startEmulator } from './server';
export { EMULATOR_CREDENTIALS, EMULATOR_DEFAULTS, CONTROL_PREFIX } from './constants';
export { SEED, SEED_IDS, SEED_USERS, type SeedProject, type SeedInstance, type ScriptedTask } from './seed';
export { ERRORS, AUTH_FAILURES, type AuthFailure, type ErrorName } from './errorCodes';
export { MALFORMED_BODIES } from './faults';
export type { RateLimitOptions } from './rateLimit';
export { LOCKOUT_DEFAULTS, type LockoutOptions } from './lockout';
export { CONTENT_SHA256_HEADER, UNSIGNED_PAYLOAD } from './verifySignature';
export type { GatewayOptions, GatewayControls } from './gatewayOptions';
export {
  verifySignature,
  decodePathSegments,
  decodeQuery,
  type ReceivedRequest,
  type SignatureCheck,
  type VerifyOptions,
} from './verifySignature';
export { parseQueryTime } from './api';
export {
  OFFSET_PARAM_NAMES,
  TASK_COUNT_MODES,
  type OffsetParamName,
  type PagingChange,
  type PagingSettings,
  type TaskCountMode,
} from './paging';
export {
  TASK_STATUSES,
  ENGINES,
  ENGINE_WIRE_NAMES,
  ENGINE_QUERY_NAMES,
  EmulatorInputError,
  type TaskStatus,
  type Engine,
  type EngineWireName,
  type DmsTask,
  type EmulatorInstance,
  type NewInstance,
  type TaskInput,
  type RecordedRequest,
  type Fault,
  type FaultMatch,
  type StatusFault,
  type ResetFault,
  type MalformedFault,
  type LatencyFault,
  type EmulatorOptions,
  type Emulator,
} from './types';
