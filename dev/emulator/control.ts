import type { ApiResponse } from './api';
import { csmsSecretsOf } from './csmsSecrets';
import { ERRORS } from './errorCodes';
import { validateFault, type FaultSet } from './faults';
import type { Gateway } from './gateway';
import type { PagingModes } from './paging';
import { validateRateLimit } from './rateLimit';
import { validateProjects } from './tenancy';
import type { EmulatorState } from './state';
import { EmulatorInputError, type NewInstance, type RecordedRequest, type TaskInput, type TaskStatus } from './types';

/** What the control surface can reach inside a running emulator. */
export interface ControlContext {
  readonly state: EmulatorState;
  readonly faults: FaultSet;
  readonly requests: () => readonly RecordedRequest[];
  readonly resetRequests: () => void;
  readonly latencyMs: () => number;
  readonly setLatency: (ms: number) => void;
  readonly accessKeyIds: readonly string[];
  readonly gateway: Gateway;
  readonly paging: PagingModes;
}

const controlError = (e: (typeof ERRORS)['controlBadRequest' | 'controlNotFound'], msg: string): ApiResponse => ({
  status: e.status,
  body: { error_code: e.code, error_msg: msg },
});

const asObject = (value: unknown): Record<string, unknown> => {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new EmulatorInputError('the body must be a JSON object');
  return value as Record<string, unknown>;
};

const str = (body: Record<string, unknown>, key: string): string | undefined => {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new EmulatorInputError(`${key} must be a string`);
  return value;
};

/** Resolves `projectId` when only `instanceId` was given (handy with curl). */
function resolveProject(ctx: ControlContext, instanceId: string, projectId: string | undefined): string {
  if (projectId !== undefined) return projectId;
  const found = ctx.state.snapshot().find((p) => p.instances.some((i) => i.instance_id === instanceId));
  if (!found) throw new EmulatorInputError(`instance not found: ${instanceId}`, 'not-found');
  return found.project_id;
}

/**
 * The emulator-only control surface under `/__emulator` (no signature, no faults, not recorded):
 *
 * | method and path | body | answer |
 * |---|---|---|
 * | `GET /__emulator/state` | | projects, instances, access key ids, faults, latency, rate limit, throttled |
 * | `POST /__emulator/instances` | `{projectId, name, engine, instance_id?}` | 201 the instance |
 * | `POST /__emulator/tasks` | `{projectId?, instanceId, ...task fields}` | 201 the task |
 * | `POST /__emulator/tasks/{task_id}/status` | `{status}` | 200 the task |
 * | `POST /__emulator/faults` | a fault | 201 `{faults: n}` |
 * | `DELETE /__emulator/faults` | | 204 |
 * | `GET /__emulator/requests` | | `{requests: [...]}` |
 * | `DELETE /__emulator/requests` | | 204 |
 * | `POST /__emulator/latency` | `{ms}` | 200 `{latencyMs}` |
 * | `GET /__emulator/paging` | | 200 `{paging}`: the task list's paging settings |
 * | `POST /__emulator/paging` | some of `{offsetBase, acceptedOffsetParams, taskCount, ...}` | 200 `{paging}` |
 * | `POST /__emulator/rate-limit` | `{requestsPerSecond, burst?, retryAfter?}` | 200 `{rateLimit}`, defaults filled |
 * | `DELETE /__emulator/rate-limit` | | 204 (no limit) |
 * | `POST /__emulator/access-key-projects` | `{accessKeyId, projects}` (`null`: every project) | 200 the lists |
 * | `DELETE /__emulator/lockouts` | | 204 (every failure count and lock forgotten) |
 * | `POST /__emulator/secrets` | `{projectId, name, value}` | 201 `{name, version}`: a new latest CSMS version |
 * | `GET /__emulator/secrets` | | `{secrets: [{projectId, name, versions}]}` (no value) |
 * | `DELETE /__emulator/secrets` | | 204 (every CSMS secret forgotten) |
 *
 * `projectId` may be left out of `POST /__emulator/tasks`: the instance is looked up in every project.
 *
 * @example
 * curl -XPOST "$URL/__emulator/tasks" -d '{"instanceId":"9c4d5e6f-7a8b-4c9d-be0f-a1b2c3d4e5f7","status":"FAILED"}'
 */
export function routeControl(ctx: ControlContext, method: string, subPath: string, rawBody: string): ApiResponse {
  try {
    const parse = (): Record<string, unknown> => {
      try {
        return asObject(rawBody.trim() === '' ? {} : JSON.parse(rawBody));
      } catch (err) {
        if (err instanceof EmulatorInputError) throw err;
        throw new EmulatorInputError('the body is not valid JSON');
      }
    };
    const statusMatch = /^\/tasks\/([^/]+)\/status$/.exec(subPath);
    const route = `${method} ${statusMatch ? '/tasks/{id}/status' : subPath}`;
    switch (route) {
      case 'GET /state':
        return {
          status: 200,
          body: {
            projects: ctx.state.snapshot(),
            accessKeyIds: ctx.accessKeyIds,
            faults: ctx.faults.list(),
            latencyMs: ctx.latencyMs(),
            rateLimit: ctx.gateway.rateLimit ?? null,
            throttled: ctx.gateway.throttled,
            lockout: ctx.gateway.lockoutSettings ?? null,
            locked: ctx.gateway.locked(),
            accessKeyProjects: ctx.gateway.accessKeyProjects(),
            paging: ctx.paging.current,
          },
        };
      case 'POST /instances': {
        const body = parse();
        const projectId = str(body, 'projectId');
        if (projectId === undefined) throw new EmulatorInputError('projectId is required');
        const { projectId: _omit, ...instance } = body;
        return { status: 201, body: ctx.state.addInstance(projectId, instance as unknown as NewInstance) };
      }
      case 'POST /tasks': {
        const body = parse();
        const instanceId = str(body, 'instanceId');
        if (instanceId === undefined) throw new EmulatorInputError('instanceId is required');
        const projectId = resolveProject(ctx, instanceId, str(body, 'projectId'));
        const { projectId: _p, instanceId: _i, ...task } = body;
        return { status: 201, body: ctx.state.addTask(projectId, instanceId, task as TaskInput) };
      }
      case 'POST /tasks/{id}/status': {
        const taskId = decodeURIComponent(statusMatch?.[1] ?? '');
        const body = parse();
        const where = ctx.state.locateTask(taskId);
        if (!where) throw new EmulatorInputError(`task not found: ${taskId}`, 'not-found');
        return {
          status: 200,
          body: ctx.state.setTaskStatus(where.projectId, where.instanceId, taskId, body.status as TaskStatus),
        };
      }
      case 'POST /faults':
        ctx.faults.add(validateFault(parse()));
        return { status: 201, body: { faults: ctx.faults.size } };
      case 'DELETE /faults':
        ctx.faults.clear();
        return { status: 204, body: undefined };
      case 'GET /requests':
        return { status: 200, body: { requests: ctx.requests() } };
      case 'DELETE /requests':
        ctx.resetRequests();
        return { status: 204, body: undefined };
      case 'POST /latency': {
        const ms = parse().ms;
        if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
          throw new EmulatorInputError('ms must be a non-negative number');
        ctx.setLatency(ms);
        return { status: 200, body: { latencyMs: ms } };
      }
      case 'GET /paging':
        return { status: 200, body: { paging: ctx.paging.current } };
      case 'POST /paging':
        return { status: 200, body: { paging: ctx.paging.set(parse()) } };
      case 'POST /rate-limit':
        ctx.gateway.setRateLimit(validateRateLimit(parse()));
        return { status: 200, body: { rateLimit: ctx.gateway.rateLimit } };
      case 'DELETE /rate-limit':
        ctx.gateway.setRateLimit(undefined);
        return { status: 204, body: undefined };
      case 'POST /access-key-projects': {
        const body = parse();
        const accessKeyId = str(body, 'accessKeyId');
        if (accessKeyId === undefined) throw new EmulatorInputError('accessKeyId is required');
        if (body.projects === undefined) throw new EmulatorInputError('projects is required (an array, or null)');
        ctx.gateway.setAccessKeyProjects(
          accessKeyId,
          body.projects === null ? undefined : validateProjects(accessKeyId, body.projects),
        );
        return { status: 200, body: { accessKeyProjects: ctx.gateway.accessKeyProjects() } };
      }
      case 'DELETE /lockouts':
        ctx.gateway.clearLockouts();
        return { status: 204, body: undefined };
      case 'POST /secrets': {
        const body = parse();
        const [projectId, name, value] = [str(body, 'projectId'), str(body, 'name'), str(body, 'value')];
        if (projectId === undefined || name === undefined || value === undefined)
          throw new EmulatorInputError('projectId, name and value are required');
        const version = csmsSecretsOf(ctx.state).put(projectId, name, value);
        // `"denied": true`: reads answer 403, as for an agency without csms:secretVersion:get.
        if (body.denied === true) csmsSecretsOf(ctx.state).deny(projectId, name);
        return { status: 201, body: { name, version: version.id } };
      }
      case 'GET /secrets':
        return { status: 200, body: { secrets: csmsSecretsOf(ctx.state).list() } };
      case 'DELETE /secrets':
        csmsSecretsOf(ctx.state).clear();
        return { status: 204, body: undefined };
      default:
        return controlError(ERRORS.controlNotFound, `No control route ${method} /__emulator${subPath}.`);
    }
  } catch (err) {
    if (err instanceof EmulatorInputError) {
      return controlError(err.kind === 'not-found' ? ERRORS.controlNotFound : ERRORS.controlBadRequest, err.message);
    }
    if (err instanceof URIError) return controlError(ERRORS.controlBadRequest, 'bad escape in path');
    throw err;
  }
}
