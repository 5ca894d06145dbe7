import { SIGNING, buildSignedUrl, signRequest, type Credentials, type QueryParams } from '../signing';
import type { CredentialsProvider } from '../signing/credentials';
import { endpointForRegion } from './endpoints';
import {
  DmsApiError,
  DmsError,
  DmsNetworkError,
  DmsResponseError,
  DmsTimeoutError,
  type DmsErrorDetails,
} from './errors';
import { boundedText, parseErrorBody, parseJson, parseTaskListBody, type Json } from './parseBodies';
import { THROTTLED_ERROR_CODE, type RequestBudget } from './requestBudget';
import { parseRetryAfter } from './retryAfter';
import { sleep } from '../core/sleep';
import { DEFAULT_RETRY, backoffDelay, isRetryableStatus, type RetryOptions } from './retryPolicy';
import { send, type Send } from './transport';
import {
  DEFAULT_OFFSET_BASE,
  DEFAULT_PAGE_SIZE,
  type Engine,
  type ListTasksParams,
  type OffsetBase,
  type OffsetParam,
  type TaskListBody,
  type UpstreamResult,
} from './types';

export interface DmsClientOptions {
  /** The project every request is made in (sent as a path segment and as signed `X-Project-Id`). */
  readonly projectId: string;
  /**
   * Fixed credentials, or a provider called at signing time (credentials the platform rotates, such
   * as FunctionGraph's agency credentials read from each invocation's context).
   */
  readonly credentials: Credentials | CredentialsProvider;
  /** Region of the project; gives the endpoint. One of `region` or `endpoint` is required. */
  readonly region?: string;
  /** Explicit endpoint (`https://host[:port]`, or `http://` for the emulator); wins over `region`. */
  readonly endpoint?: string;
  /** Engine, only to check the region serves it (RabbitMQ has fewer regions). */
  readonly engine?: Engine;
  /** Query parameter name for the page offset. @default 'start' (what every official SDK sends) */
  readonly offsetParam?: OffsetParam;
  /** Offset of the first task upstream (the pager starts there). @default 1 (Huawei's Terraform provider) */
  readonly offsetBase?: OffsetBase;
  /**
   * Tasks per page when the pager walks every page (`iterateTaskPages`). @default DEFAULT_PAGE_SIZE
   * (100: what Huawei's RocketMQ data source sends; the fewest round trips)
   */
  readonly pageSize?: number;
  /** Timeout of one HTTP attempt. @default 10000 */
  readonly timeoutMs?: number;
  /** Budget of one call, retries and their waits included. @default 25000 */
  readonly deadlineMs?: number;
  /** @default DEFAULT_RETRY (3 attempts, 200 ms base, 5 s cap) */
  readonly retry?: Partial<RetryOptions>;
  /** Largest response body accepted. @default 4 MiB */
  readonly maxResponseBytes?: number;
  /** Injected for tests. @default send (`node:https` over a process-wide keep-alive agent, `transport.ts`) */
  readonly send?: Send;
  /** Injected for tests (records the delays scheduled). @default a timer that the deadline can cut short */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
  /** Called before each retry wait. Receives no secret. */
  readonly onRetry?: (info: RetryInfo) => void;
  /**
   * The request budget of this client's account and region, shared with every other client of them
   * (`RequestBudgets.for`): each attempt waits for a token first, and a 429 `APIGW.0308` pauses and
   * slows it for all of them. @default none (no budget: requests go as fast as the callers make them)
   */
  readonly budget?: RequestBudget;
}

export interface RetryInfo {
  readonly attempt: number;
  readonly delayMs: number;
  readonly reason: string;
  readonly operation: 'list-tasks' | 'show-task' | 'list-instances';
}

export interface CallOptions {
  /** Cancels the call. */
  readonly signal?: AbortSignal;
  /**
   * Absolute deadline (epoch ms) for this call, e.g. the Lambda's remaining time; the sooner of this
   * and `deadlineMs` applies.
   */
  readonly deadline?: number;
}

interface Resolved {
  readonly origin: string;
  readonly host: string;
  readonly retry: RetryOptions;
}

/**
 * A small client for the DMS background-task API (list and show): signed with `lib/signing`, sent with
 * `node:https` over a keep-alive agent (`transport.ts`: one connection per origin reused), per-attempt
 * timeout, overall deadline, bounded retries of idempotent GETs on network errors, 429 and 5xx with
 * full-jitter backoff and `Retry-After`. Never logs; errors carry no secret. The HTTP
 * functions use it as it is; `DmsClient` adds the instance listing the notifier needs.
 *
 * @example
 * const client = new DmsTaskClient({ projectId, region: 'cn-north-4', credentials: credentialsFromEnv() });
 * const { body } = await client.listTasks({ instanceId, limit: 10 });
 */
export class DmsTaskClient {
  readonly projectId: string;
  readonly offsetParam: OffsetParam;
  readonly offsetBase: OffsetBase;
  readonly pageSize: number;
  readonly #options: DmsClientOptions;
  readonly #resolved: Resolved;
  readonly #credentials: CredentialsProvider;

  constructor(options: DmsClientOptions) {
    const endpoint =
      options.endpoint ??
      (options.region !== undefined ? endpointForRegion(options.region, options.engine) : undefined);
    if (!endpoint) throw new TypeError('DmsClient needs a region or an endpoint');
    const url = new URL(endpoint);
    this.#options = options;
    const { credentials } = options;
    this.#credentials = typeof credentials === 'function' ? credentials : () => credentials;
    this.#resolved = { origin: url.origin, host: url.host, retry: { ...DEFAULT_RETRY, ...options.retry } };
    this.projectId = options.projectId;
    this.offsetParam = options.offsetParam ?? 'start';
    this.offsetBase = options.offsetBase ?? DEFAULT_OFFSET_BASE;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  }

  /** One page of tasks: `GET /v2/{project_id}/instances/{instance_id}/tasks`. */
  async listTasks(params: ListTasksParams, call: CallOptions = {}): Promise<UpstreamResult<TaskListBody>> {
    const query: Record<string, string | number | undefined> = {
      [this.offsetParam]: params.offset,
      limit: params.limit,
      begin_time: params.beginTime,
      end_time: params.endTime,
    };
    return this.request(
      ['v2', this.projectId, 'instances', params.instanceId, 'tasks'],
      query,
      parseTaskListBody,
      call,
      'list-tasks',
    );
  }

  /** One task: `GET /v2/{project_id}/instances/{instance_id}/tasks/{task_id}` (upstream answers in the list shape). */
  async showTask(instanceId: string, taskId: string, call: CallOptions = {}): Promise<UpstreamResult<TaskListBody>> {
    return this.request(
      ['v2', this.projectId, 'instances', instanceId, 'tasks', taskId],
      {},
      parseTaskListBody,
      call,
      'show-task',
    );
  }

  /** One signed GET with retries; `parse` checks the 2xx body. */
  protected async request<T>(
    pathSegments: readonly string[],
    query: QueryParams,
    parse: (json: Json, details: DmsErrorDetails) => T,
    call: CallOptions,
    operation: RetryInfo['operation'],
  ): Promise<UpstreamResult<T>> {
    const o = this.#options;
    const { retry } = this.#resolved;
    const deadline = Math.min(Date.now() + (o.deadlineMs ?? 25_000), call.deadline ?? Infinity);
    const doSleep = o.sleep ?? sleep;
    for (let attempt = 1; ; attempt++) {
      let failure: DmsError;
      let retryAfterMs: number | undefined;
      try {
        return { ...(await this.#attempt(pathSegments, query, parse, call, deadline, attempt)), attempts: attempt };
      } catch (e) {
        if (!(e instanceof DmsError)) throw e;
        failure = e;
        if (e instanceof DmsApiError && e.retryAfterSeconds !== undefined) retryAfterMs = e.retryAfterSeconds * 1000;
        if (e instanceof DmsApiError && e.status === 429 && e.errorCode === THROTTLED_ERROR_CODE) {
          o.budget?.throttled(retryAfterMs);
        }
      }
      const retryable =
        failure instanceof DmsNetworkError ||
        (failure instanceof DmsTimeoutError && failure.kind === 'request') ||
        (failure instanceof DmsApiError && isRetryableStatus(failure.status ?? 0));
      if (!retryable || attempt >= retry.attempts || call.signal?.aborted) throw failure;
      const delayMs = retryAfterMs ?? backoffDelay(attempt, retry, o.random);
      if (Date.now() + delayMs >= deadline) throw failure;
      o.onRetry?.({ attempt, delayMs, reason: failure.name + (failure.status ? ` ${failure.status}` : ''), operation });
      await doSleep(delayMs, call.signal);
    }
  }

  async #attempt<T>(
    pathSegments: readonly string[],
    query: QueryParams,
    parse: (json: Json, details: DmsErrorDetails) => T,
    call: CallOptions,
    deadline: number,
    attempt: number,
  ): Promise<{ body: T; status: number; requestId?: string }> {
    const o = this.#options;
    // A signal aborted before the call (or between attempts) sends nothing and takes no budget.
    if (call.signal?.aborted)
      throw new DmsError('DMS call aborted', { attempts: attempt - 1 }, { cause: call.signal.reason });
    await this.#waitForBudget(call, deadline, attempt);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new DmsTimeoutError('deadline', 'DMS call deadline exceeded', { attempts: attempt - 1 });
    const timeoutMs = o.timeoutMs ?? 10_000;
    const perAttempt = Math.min(timeoutMs, remaining);
    const cutByDeadline = perAttempt < timeoutMs;
    // A plain controller and timer, cleared when the attempt ends: far cheaper per request than
    // AbortSignal.timeout/any, which showed in the scan's CPU profile.
    const controller = new AbortController();
    const { signal } = controller;
    const callerSignal = call.signal;
    const timer = setTimeout(() => controller.abort(new DOMException('attempt timed out', 'TimeoutError')), perAttempt);
    const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    // Which abort it was: our timer, or the caller's signal (reported as an abort, never retried).
    const fail = (cause: unknown): DmsError =>
      this.#transportError(
        cause,
        signal.aborted && !callerSignal?.aborted,
        callerSignal?.aborted === true,
        perAttempt,
        cutByDeadline,
        attempt,
      );
    try {
      const req = {
        method: 'GET',
        host: this.#resolved.host,
        pathSegments,
        query,
        headers: { [SIGNING.projectHeader]: this.projectId },
      };
      const credentials = this.#credentials();
      const url = buildSignedUrl(this.#resolved.origin, req);
      const maxBytes = o.maxResponseBytes ?? 4 * 1024 * 1024;
      let res: Awaited<ReturnType<Send>>;
      try {
        // Redirects are not followed: a 3xx is an error answer like any other.
        res = await (o.send ?? send)(
          // Signed when the connection is on its way (see `TransportRequest.headers`).
          { url, headers: () => ({ ...signRequest(req, credentials), Accept: 'application/json' }) },
          { signal, maxBytes },
        );
      } catch (cause) {
        throw fail(cause);
      }
      const header = (name: string): string | undefined => {
        const value = res.headers[name];
        return (Array.isArray(value) ? value.join(', ') : value) || undefined;
      };
      const requestId = header('x-request-id');
      const details: DmsErrorDetails = { status: res.status, requestId, attempts: attempt };
      if (res.tooLarge) {
        const { declaredBytes } = res.tooLarge;
        const message =
          declaredBytes === undefined
            ? `upstream body exceeds ${maxBytes} bytes`
            : `upstream body of ${declaredBytes} bytes exceeds ${maxBytes}`;
        throw new DmsResponseError('too-large', message, details);
      }
      const text = res.body.toString('utf8');
      if (res.status < 200 || res.status > 299) {
        const parsed = parseErrorBody(text);
        const retryAfterMs = parseRetryAfter(header('retry-after'));
        throw new DmsApiError({
          ...details,
          status: res.status,
          errorCode: parsed?.errorCode ?? `HTTP.${res.status}`,
          errorMsg: parsed
            ? boundedText(this.#scrub(parsed.errorMsg))
            : `upstream answered ${res.status} without a JSON error body`,
          retryAfterSeconds: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
        });
      }
      const body = parse(parseJson(text, details), details);
      return { body, status: res.status, requestId };
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /**
   * Waits for a token of the shared budget (if any) before an attempt. A token that would come after
   * the deadline fails the call as the deadline does; the caller's abort ends the wait.
   */
  async #waitForBudget(call: CallOptions, deadline: number, attempt: number): Promise<void> {
    const budget = this.#options.budget;
    if (!budget) return;
    let granted: boolean;
    try {
      granted = await budget.acquire(call.signal, deadline);
    } catch (cause) {
      throw new DmsError('DMS call aborted', { attempts: attempt - 1 }, { cause });
    }
    if (!granted) {
      const message = 'DMS call deadline exceeded waiting for the request budget';
      throw new DmsTimeoutError('deadline', message, { attempts: attempt - 1 });
    }
  }

  /** The gateway echoes the access key in some messages ("ak:XXX"): never let a credential through. */
  #scrub(message: string): string {
    const { accessKeyId, secretAccessKey, securityToken } = this.#credentials();
    let out = message;
    for (const secret of [accessKeyId, secretAccessKey, securityToken]) {
      if (secret) out = out.split(secret).join('[redacted]');
    }
    return out;
  }

  #transportError(
    cause: unknown,
    timedOut: boolean,
    callerAborted: boolean,
    ms: number,
    cutByDeadline: boolean,
    attempt: number,
  ): DmsError {
    if (timedOut) {
      const message = cutByDeadline
        ? `DMS call deadline exceeded after ${ms} ms`
        : `DMS request timed out after ${ms} ms`;
      return new DmsTimeoutError(cutByDeadline ? 'deadline' : 'request', message, { attempts: attempt }, { cause });
    }
    if (callerAborted) return new DmsError('DMS call aborted', { attempts: attempt }, { cause });
    const code = cause instanceof Error && 'code' in cause ? String(cause.code) : 'network error';
    return new DmsNetworkError(`DMS request failed: ${code}`, { attempts: attempt }, { cause });
  }
}
