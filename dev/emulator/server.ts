import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { routeApi, type ApiResponse } from './api';
import { PagingModes } from './paging';
import { smnTopicsOf } from './smnTopics';
import { CONTROL_PREFIX, EMULATOR_CREDENTIALS, EMULATOR_DEFAULTS, MAX_REQUEST_BODY_BYTES } from './constants';
import { routeControl } from './control';
import { defaultFaultError, ERRORS } from './errorCodes';
import { FaultSet, MALFORMED_BODIES } from './faults';
import { Gateway } from './gateway';
import { EmulatorState } from './state';
import {
  EmulatorInputError,
  type Emulator,
  type EmulatorOptions,
  type Fault,
  type LatencyFault,
  type RecordedRequest,
} from './types';
import { decodePathSegments, decodeQuery, verifySignature } from './verifySignature';
import { SIGNING } from '../../lib/signing';

const JSON_TYPE = 'application/json;charset=UTF-8';

class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BODY_BYTES) {
        req.pause();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  requestId: string,
  status: number,
  body: unknown,
  extraHeaders: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const type = text.trimStart().startsWith('<') ? 'text/html;charset=UTF-8' : JSON_TYPE;
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(text),
    'X-Request-Id': requestId,
    ...extraHeaders,
  });
  res.end(text);
}

/**
 * Writes `size` bytes of valid JSON (`{"task_count":"0","tasks":[]` + spaces + `}`) in chunks,
 * honouring backpressure; with `chunked`, without `Content-Length`. Stops when the client hangs up.
 * Returns the body bytes written.
 */
async function sendHuge(
  res: ServerResponse,
  requestId: string,
  status: number,
  size: number,
  chunked: boolean,
): Promise<number> {
  const head = '{"task_count":"0","tasks":[]';
  const total = Math.max(size, head.length + 1);
  res.writeHead(status, {
    'Content-Type': JSON_TYPE,
    ...(chunked ? {} : { 'Content-Length': total }),
    'X-Request-Id': requestId,
  });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let left = total - head.length - 1;
  let written = head.length;
  res.write(head);
  while (left > 0 && !res.destroyed) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    left -= piece.length;
    written += piece.length;
    if (!res.write(piece)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  if (res.destroyed) return written;
  res.end('}');
  return written + 1;
}

/** How a fault was answered: the status (`0` for a reset) and, for a malformed body, its bytes written. */
interface FaultAnswer {
  readonly status: number;
  readonly bodyBytesSent?: number;
}

async function sendFault(
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  fault: Exclude<Fault, LatencyFault>,
): Promise<FaultAnswer> {
  switch (fault.kind) {
    case 'reset':
      req.socket.destroy();
      return { status: 0 };
    case 'status': {
      const headers: Record<string, string> =
        fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) };
      const def = defaultFaultError(fault.status);
      const body = fault.body ?? { error_code: def.code, error_msg: def.msg, request_id: requestId };
      send(res, requestId, fault.status, body, headers);
      return { status: fault.status };
    }
    case 'malformed': {
      const status = fault.status ?? 200;
      const chunked = fault.chunked ?? false;
      if (fault.hugeBytes !== undefined)
        return { status, bodyBytesSent: await sendHuge(res, requestId, status, fault.hugeBytes, chunked) };
      const text = fault.body ?? MALFORMED_BODIES.truncatedJson;
      if (!chunked) send(res, requestId, status, text);
      else {
        res.writeHead(status, { 'Content-Type': JSON_TYPE, 'X-Request-Id': requestId });
        res.end(text);
      }
      return { status, bodyBytesSent: Buffer.byteLength(text) };
    }
  }
}

/**
 * Starts a local emulator of the Huawei Cloud DMS background-task API (Kafka, RocketMQ, RabbitMQ
 * share it) with signature checking, deterministic seed data, injectable faults and an
 * emulator-only control surface under `/__emulator`. See `types.ts` for the options and their
 * defaults, `api.ts` for the API's behaviour, `errorCodes.ts` for every error it sends.
 *
 * @example
 * const emulator = await startEmulator({ now: () => new Date('2026-01-01T00:00:00Z') });
 * const client = KafkaClient.newBuilder()
 *   .withCredential(
 *     new BasicCredentials()
 *       .withAk(EMULATOR_CREDENTIALS.accessKeyId)
 *       .withSk(EMULATOR_CREDENTIALS.secretAccessKey)
 *       .withProjectId(SEED_IDS.mainProject),
 *   )
 *   .withEndpoint(emulator.url)
 *   .build();
 * // ...
 * await emulator.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const now = options.now ?? (() => new Date());
  const credentials = options.credentials ?? [EMULATOR_CREDENTIALS];
  if (credentials.length === 0) throw new RangeError('credentials must not be empty');
  const pagingOptions = {
    offsetBase: options.offsetBase,
    acceptedOffsetParams: options.acceptedOffsetParams,
    taskCount: options.taskCount,
    defaultLimit: options.defaultLimit,
    maxLimit: options.maxLimit,
  };
  // Not a paging mode: the instance listing's RocketMQ names, carried to the handlers beside them.
  const rocketmq = options.rocketmqEngineNames ? { rocketmqEngineNames: options.rocketmqEngineNames } : {};
  const paging = new PagingModes(Object.fromEntries(Object.entries(pagingOptions).filter(([, v]) => v !== undefined)));
  const maxClockSkewMs = options.maxClockSkewMs ?? EMULATOR_DEFAULTS.maxClockSkewMs;
  let latencyMs = options.latencyMs ?? EMULATOR_DEFAULTS.latencyMs;

  const state = new EmulatorState(now);
  if (options.seed ?? true) state.loadSeed();
  const faults = new FaultSet();
  const gateway = new Gateway(options, now);
  let requests: RecordedRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomBytes(16).toString('hex');
    const at = now().toISOString();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    const rawQuery = q === -1 ? '' : url.slice(q + 1);

    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        res.setHeader('Connection', 'close');
        send(res, requestId, 413, {
          error_code: 'APIGW.0201',
          error_msg: 'Request entity too large.',
          request_id: requestId,
        });
        return;
      }
      throw err;
    }

    if (rawPath === CONTROL_PREFIX || rawPath.startsWith(`${CONTROL_PREFIX}/`)) {
      const result = routeControl(
        {
          state,
          faults,
          requests: () => [...requests],
          resetRequests: () => {
            requests = [];
          },
          latencyMs: () => latencyMs,
          setLatency: (ms) => {
            latencyMs = ms;
          },
          accessKeyIds: credentials.map((c) => c.accessKeyId),
          gateway,
          paging,
        },
        method,
        rawPath.slice(CONTROL_PREFIX.length),
        body.toString('utf8'),
      );
      send(res, requestId, result.status, result.body);
      return;
    }

    const check = verifySignature(
      { method, rawPath, rawQuery, headers: req.headers, body },
      { credentials, now: now(), maxClockSkewMs },
    );
    const query = decodeQuery(rawQuery) ?? {};
    const decision = faults.decide(rawPath);
    const record = (status: number, sentId: string, bodyBytesSent?: number): void => {
      const entry: RecordedRequest = {
        method,
        path: rawPath,
        query,
        status,
        signed: check.ok,
        signedHeaders: signedHeadersOf(req.headers.authorization),
        ...sentHeaders(req.headers),
        at,
        requestId: sentId,
      };
      const fault = decision.answer?.kind ?? decision.fired[0];
      const withFault = fault ? { ...entry, fault } : entry;
      requests.push(bodyBytesSent === undefined ? withFault : { ...withFault, bodyBytesSent });
    };

    const delay = latencyMs + decision.latencyMs;
    if (delay > 0) await sleep(delay);

    if (decision.answer) {
      const answer = await sendFault(req, res, requestId, decision.answer);
      record(answer.status, answer.status === 0 ? '' : requestId, answer.bodyBytesSent);
      return;
    }

    let result: ApiResponse;
    const segments = decodePathSegments(rawPath);
    const headerProject = req.headers[SIGNING.projectHeader.toLowerCase()];
    try {
      result = routeApi(
        state,
        { ...paging.current, ...rocketmq },
        {
          method,
          segments,
          query,
          check,
          requestId,
          body: body.toString('utf8'),
          gate: () =>
            gateway.admit({
              check,
              requestId,
              projectId: segments?.[1] ?? '',
              headerProjectId: Array.isArray(headerProject) ? headerProject.join(',') : headerProject,
            }),
        },
      );
    } catch (err) {
      console.error('[dms-emulator] handler failed', err);
      result = { status: 500, body: { error_code: ERRORS.internal.code, error_msg: ERRORS.internal.msg } };
    }
    send(res, requestId, result.status, result.body, result.headers);
    record(result.status, requestId);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error('[dms-emulator] request failed', err);
      if (!res.headersSent)
        send(res, randomBytes(16).toString('hex'), 500, {
          error_code: ERRORS.internal.code,
          error_msg: ERRORS.internal.msg,
        });
      else res.destroy();
    });
  });

  const host = options.host ?? EMULATOR_DEFAULTS.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? EMULATOR_DEFAULTS.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    credentials,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    addInstance: (projectId, instance) => state.addInstance(projectId, instance),
    addSmnTopic: (projectId, name, region) => smnTopicsOf(state).add(projectId, name, region),
    get smnPublished() {
      return [...smnTopicsOf(state).published];
    },
    addTask: (projectId, instanceId, partial) => state.addTask(projectId, instanceId, partial),
    deleteTask: (projectId, instanceId, taskId) => state.deleteTask(projectId, instanceId, taskId),
    setTaskStatus: (projectId, instanceId, taskId, status) =>
      state.setTaskStatus(projectId, instanceId, taskId, status),
    tasks: (projectId, instanceId) => {
      const tasks = state.tasks(projectId, instanceId);
      if (!tasks) throw new EmulatorInputError(`unknown project or instance: ${projectId}/${instanceId}`, 'not-found');
      return tasks.map((t) => ({ ...t }));
    },
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    setLatency: (ms) => {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError(`latency must be a non-negative number of ms, got ${ms}`);
      latencyMs = ms;
    },
    get requests() {
      return [...requests];
    },
    resetRequests: () => {
      requests = [];
    },
    get paging() {
      return paging.current;
    },
    setPaging: (change) => paging.set(change),
    setRateLimit: (rateLimit) => gateway.setRateLimit(rateLimit),
    setAccessKeyProjects: (accessKeyId, projects) => gateway.setAccessKeyProjects(accessKeyId, projects),
    clearLockouts: () => gateway.clearLockouts(),
    get throttled() {
      return gateway.throttled;
    },
  };
}

/** The names an `Authorization: SDK-HMAC-SHA256 ..., SignedHeaders=a;b;c, ...` header lists. */
function signedHeadersOf(authorization: string | undefined): string[] {
  const list = /SignedHeaders=([^,\s]+)/.exec(authorization ?? '')?.[1];
  return list ? list.toLowerCase().split(';') : [];
}

/** `Content-Type` and `X-Project-Id` as sent, where present. */
function sentHeaders(h: IncomingHttpHeaders): Pick<RecordedRequest, 'contentType' | 'projectIdHeader'> {
  const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(',') : v);
  const contentType = one(h['content-type']);
  const projectIdHeader = one(h['x-project-id']);
  return {
    ...(contentType !== undefined ? { contentType } : {}),
    ...(projectIdHeader !== undefined ? { projectIdHeader } : {}),
  };
}
