import { SIGNING, buildSignedUrl, signRequest, type Credentials, type QueryParams } from '../signing';
import type { CredentialsProvider } from '../signing/credentials';
import { endpointForRegion } from './endpoints';
import {
  DmsAbortedError,
  DmsApiError,
  DmsError,
  DmsNetworkError,
  DmsResponseError,
  DmsThrottledError,
  DmsTimeoutError,
  type DmsErrorDetails,
} from './errors';
import { boundedText, parseErrorBody, parseJson, parseTaskListBody, type Json } from './parseBodies';
import type { RequestBudget } from './requestBudget';
import { parseRetryAfter } from './retryAfter';
import { sleep } from '../core/sleep';
import { DEFAULT_RETRY, classifyFailure, retryDelay, type RetryOptions } from './retryPolicy';
import { send, type Send, type TransportResponse } from './transport';
import { sharedOffsetParamMemory, type OffsetParamMemory } from './offsetParamMemory';
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
  /**
   * Query parameter name for the page offset, until a walk finds that the endpoint honours only the
   * other one (`offsetParamMemory`). @default 'start' (what the SDK on npm, 3.1.215, sends)
   */
  readonly offsetParam?: OffsetParam;
  /**
   * Where the name found to work is remembered per endpoint. @default sharedOffsetParamMemory (one per
   * process)
   */
  readonly offsetParamMemory?: OffsetParamMemory;
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

/** The options, defaults filled in and the endpoint parsed: resolved once, in the constructor. */
interface Resolved {
  readonly origin: string;
  readonly host: string;
  readonly retry: RetryOptions;
  readonly timeoutMs: number;
  readonly deadlineMs: number;
  readonly maxResponseBytes: number;
  readonly send: Send;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
  readonly onRetry: ((info: RetryInfo) => void) | undefined;
  readonly budget: RequestBudget | undefined;
}

/** One call as the retry loop and its attempts see it. */
interface Call<T> {
  readonly pathSegments: readonly string[];
  readonly query: QueryParams;
  readonly parse: (json: Json, details: DmsErrorDetails) => T;
  readonly signal: AbortSignal | undefined;
  /** Wall-clock epoch ms by which the call ends (the sooner of `deadlineMs` and the caller's). */
  readonly deadline: number;
  readonly operation: RetryInfo['operation'];
}

/** What a successful attempt returns. */
interface Answer<T> {
  readonly body: T;
  readonly status: number;
  readonly requestId?: string;
}

/** Defaults of {@link DmsClientOptions}. */
const DEFAULTS = { timeoutMs: 10_000, deadlineMs: 25_000, maxResponseBytes: 4 * 1024 * 1024 } as const;

/**
 * A small client for the DMS background-task API (list and show): signed with `lib/signing`, sent with
 * `node:https` over a keep-alive agent (`transport.ts`: one connection per origin reused), per-attempt
 * timeout, overall deadline, bounded retries of idempotent GETs on network errors, 429 and 5xx with
 * full-jitter backoff and `Retry-After`. Each failed attempt is classified once (`classifyFailure`)
 * and the retry decided from that (`retryDelay`). Never logs; errors carry no secret. The HTTP
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
  readonly #resolved: Resolved;
  readonly #credentials: CredentialsProvider;
  readonly #paramMemory: OffsetParamMemory;

  constructor(options: DmsClientOptions) {
    const endpoint =
      options.endpoint ??
      (options.region !== undefined ? endpointForRegion(options.region, options.engine) : undefined);
    if (!endpoint) throw new TypeError('DmsClient needs a region or an endpoint');
    const url = new URL(endpoint);
    const { credentials } = options;
    this.#credentials = typeof credentials === 'function' ? credentials : () => credentials;
    this.#resolved = {
      origin: url.origin,
      host: url.host,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      deadlineMs: options.deadlineMs ?? DEFAULTS.deadlineMs,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
      send: options.send ?? send,
      sleep: options.sleep ?? sleep,
      random: options.random ?? Math.random,
      onRetry: options.onRetry,
      budget: options.budget,
    };
    this.projectId = options.projectId;
    this.offsetParam = options.offsetParam ?? 'start';
    this.#paramMemory = options.offsetParamMemory ?? sharedOffsetParamMemory;
    this.offsetBase = options.offsetBase ?? DEFAULT_OFFSET_BASE;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  }

  /** The endpoint's origin (`https://dms.cn-north-4.myhuaweicloud.com`): no path, no query, nothing secret. */
  get origin(): string {
    return this.#resolved.origin;
  }

  /** The paging parameter name to send now: the one found to work at this endpoint, else the configured one. */
  pagingParam(): OffsetParam {
    return this.#paramMemory.get(this.#resolved.origin) ?? this.offsetParam;
  }

  /** Records that this endpoint honours `name` (every client of the same memory and endpoint sends it from now on). */
  rememberPagingParam(name: OffsetParam): void {
    this.#paramMemory.set(this.#resolved.origin, name);
  }

  /**
   * One page of tasks: `GET /v2/{project_id}/instances/{instance_id}/tasks`, the offset sent as
   * `params.offsetParam`, else {@link pagingParam}.
   */
  async listTasks(params: ListTasksParams, call: CallOptions = {}): Promise<UpstreamResult<TaskListBody>> {
    const query: Record<string, string | number | undefined> = {
      [params.offsetParam ?? this.pagingParam()]: params.offset,
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
    options: CallOptions,
    operation: RetryInfo['operation'],
  ): Promise<UpstreamResult<T>> {
    const r = this.#resolved;
    const deadline = Math.min(Date.now() + r.deadlineMs, options.deadline ?? Number.POSITIVE_INFINITY);
    const call: Call<T> = { pathSegments, query, parse, signal: options.signal, deadline, operation };
    for (let attempt = 1; ; attempt++) {
      let error: DmsError;
      try {
        return { ...(await this.#attempt(call, attempt)), attempts: attempt };
      } catch (e) {
        if (!(e instanceof DmsError)) throw e;
        error = e;
      }
      const failure = classifyFailure(error);
      if (failure.kind === 'throttled' && failure.accountThrottle) r.budget?.throttled(failure.retryAfterMs);
      const delayMs = retryDelay(failure, { attempt, deadline }, r.retry, r.random);
      if (delayMs === undefined) throw error;
      r.onRetry?.({ attempt, delayMs, reason: error.name + (error.status ? ` ${error.status}` : ''), operation });
      await this.#wait(delayMs, call, attempt);
    }
  }

  /** One attempt: the budget's token, then the signed GET under its timeout, then the answer read. */
  async #attempt<T>(call: Call<T>, attempt: number): Promise<Answer<T>> {
    // A signal aborted before the call (or between attempts) sends nothing and takes no budget.
    if (call.signal?.aborted) throw new DmsAbortedError({ attempts: attempt - 1 }, { cause: call.signal.reason });
    await this.#waitForBudget(call, attempt);
    const remaining = call.deadline - Date.now();
    if (remaining <= 0) throw new DmsTimeoutError('deadline', 'DMS call deadline exceeded', { attempts: attempt - 1 });
    const res = await this.#send(call, attempt, Math.min(this.#resolved.timeoutMs, remaining));
    return this.#read(res, call.parse, attempt);
  }

  /** Sends the signed GET; a failure to get an answer becomes a timeout, an abort or a network error. */
  async #send(call: Call<unknown>, attempt: number, timeoutMs: number): Promise<TransportResponse> {
    const r = this.#resolved;
    const limit = attemptSignal(timeoutMs, call.signal);
    const req = {
      method: 'GET',
      host: r.host,
      pathSegments: call.pathSegments,
      query: call.query,
      headers: { [SIGNING.projectHeader]: this.projectId },
    };
    try {
      const credentials = this.#credentials();
      const url = buildSignedUrl(r.origin, req);
      // Redirects are not followed: a 3xx is an error answer like any other. Signed when the
      // connection is on its way (see `TransportRequest.headers`).
      const headers = (): Record<string, string> => ({ ...signRequest(req, credentials), Accept: 'application/json' });
      return await r.send({ url, headers }, { signal: limit.signal, maxBytes: r.maxResponseBytes });
    } catch (cause) {
      throw this.#transportError(cause, limit.why(), timeoutMs < r.timeoutMs, timeoutMs, attempt);
    } finally {
      limit.clear();
    }
  }

  /** Reads an answer: the parsed 2xx body, or the error it stands for. */
  #read<T>(res: TransportResponse, parse: Call<T>['parse'], attempt: number): Answer<T> {
    const header = (name: string): string | undefined => {
      const value = res.headers[name];
      return (Array.isArray(value) ? value.join(', ') : value) || undefined;
    };
    const requestId = header('x-request-id');
    const details: DmsErrorDetails = { status: res.status, requestId, attempts: attempt };
    if (res.tooLarge) {
      const { declaredBytes } = res.tooLarge;
      const max = this.#resolved.maxResponseBytes;
      const message =
        declaredBytes === undefined
          ? `upstream body exceeds ${max} bytes`
          : `upstream body of ${declaredBytes} bytes exceeds ${max}`;
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
    return { body: parse(parseJson(text, details), details), status: res.status, requestId };
  }

  /**
   * Waits for a token of the shared budget (if any) before an attempt. A token that would come after
   * the deadline fails the call as the deadline does (as {@link DmsThrottledError} when upstream
   * throttled recently, with the time until the next token); the caller's abort ends the wait.
   */
  async #waitForBudget(call: Call<unknown>, attempt: number): Promise<void> {
    const { budget } = this.#resolved;
    if (!budget) return;
    let granted: boolean;
    try {
      granted = await budget.acquire(call.signal, call.deadline);
    } catch (cause) {
      throw new DmsAbortedError({ attempts: attempt - 1 }, { cause });
    }
    if (granted) return;
    const details = { attempts: attempt - 1 };
    if (budget.throttledRecently()) throw new DmsThrottledError(budget.msUntilNextToken(), details);
    throw new DmsTimeoutError('deadline', 'DMS call deadline exceeded waiting for the request budget', details);
  }

  /** The wait before a retry; the caller's abort ends it with {@link DmsAbortedError}. */
  async #wait(ms: number, call: Call<unknown>, attempt: number): Promise<void> {
    try {
      await this.#resolved.sleep(ms, call.signal);
    } catch (cause) {
      throw new DmsAbortedError({ attempts: attempt }, { cause });
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

  /** The error of an attempt that got no answer, by what ended it. */
  #transportError(
    cause: unknown,
    endedBy: AttemptEnd | undefined,
    cutByDeadline: boolean,
    ms: number,
    attempt: number,
  ): DmsError {
    const details = { attempts: attempt };
    if (endedBy === 'aborted') return new DmsAbortedError(details, { cause });
    if (endedBy === 'timeout') {
      const message = cutByDeadline
        ? `DMS call deadline exceeded after ${ms} ms`
        : `DMS request timed out after ${ms} ms`;
      return new DmsTimeoutError(cutByDeadline ? 'deadline' : 'request', message, details, { cause });
    }
    const code = cause instanceof Error && 'code' in cause ? String(cause.code) : 'network error';
    return new DmsNetworkError(`DMS request failed: ${code}`, details, { cause });
  }
}

/** What ended an attempt early: its own timer, or the caller's signal. */
type AttemptEnd = 'timeout' | 'aborted';

/**
 * The signal of one attempt: aborted by its timer or by the caller's signal, and which one it was. A
 * plain controller and timer, cleared when the attempt ends: far cheaper per request than
 * `AbortSignal.timeout`/`any`, which showed in the scan's CPU profile.
 */
function attemptSignal(
  timeoutMs: number,
  caller: AbortSignal | undefined,
): { signal: AbortSignal; why: () => AttemptEnd | undefined; clear: () => void } {
  const controller = new AbortController();
  let endedBy: AttemptEnd | undefined;
  const timer = setTimeout(() => {
    endedBy ??= 'timeout';
    controller.abort(new DOMException('attempt timed out', 'TimeoutError'));
  }, timeoutMs);
  const onCallerAbort = (): void => {
    endedBy ??= 'aborted';
    controller.abort(caller?.reason);
  };
  if (caller?.aborted) onCallerAbort();
  else caller?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    why: () => endedBy,
    clear: () => {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}
