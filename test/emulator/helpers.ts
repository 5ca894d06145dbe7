import { request } from 'node:http';
import { buildSignedUrl, signRequest, type Credentials, type QueryParams } from '../../lib/signing';
import { EMULATOR_CREDENTIALS, type Emulator } from '../../dev/emulator';

/** A fixed clock for tests that do not go through the official SDK (which signs with the real clock). */
export const NOW = new Date('2026-03-01T12:00:00.000Z');
export const fixedNow = (): Date => NOW;

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  /** The parsed body, or `undefined` if it is not JSON. */
  readonly json: unknown;
}

/**
 * Sends a request with exactly the headers given (Host included, as node:http allows), on a fresh
 * connection. Used instead of fetch so a test controls every header the emulator sees.
 */
export function rawRequest(
  url: string,
  headers: Readonly<Record<string, string>>,
  method = 'GET',
  body?: string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export interface SignedGetOptions {
  readonly credentials?: Credentials;
  /** Signing time. @default NOW */
  readonly date?: Date;
  /** Extra headers to sign (e.g. X-Project-Id). */
  readonly signedHeaders?: Readonly<Record<string, string>>;
  /** Changes the signed headers before sending (to break them on purpose). */
  readonly tamper?: (headers: Record<string, string>) => Record<string, string>;
}

/** A GET signed with `lib/signing`, as the project's own client would send it. */
export function signedGet(
  emulator: Emulator,
  pathSegments: readonly string[],
  query: QueryParams = {},
  options: SignedGetOptions = {},
): Promise<RawResponse> {
  const host = new URL(emulator.url).host;
  const req = { method: 'GET', host, pathSegments, query, headers: options.signedHeaders ?? {} };
  const headers = signRequest(req, options.credentials ?? EMULATOR_CREDENTIALS, { date: options.date ?? NOW });
  return rawRequest(buildSignedUrl(emulator.url, req), options.tamper ? options.tamper({ ...headers }) : headers);
}

/** Path segments of the task list of an instance. */
export const tasksPath = (projectId: string, instanceId: string): string[] => [
  'v2',
  projectId,
  'instances',
  instanceId,
  'tasks',
];

/** The body of a task-list or show response, checked for shape. */
export interface TaskPage {
  readonly task_count: string;
  readonly tasks: readonly {
    readonly id: string;
    readonly created_at: string;
    readonly status: string;
    readonly [key: string]: string;
  }[];
}

export function asTaskPage(value: unknown): TaskPage {
  if (value === null || typeof value !== 'object') throw new Error(`not a task page: ${JSON.stringify(value)}`);
  const page = value as Partial<TaskPage>;
  if (typeof page.task_count !== 'string' || !Array.isArray(page.tasks))
    throw new Error(`not a task page: ${JSON.stringify(value)}`);
  return page as TaskPage;
}

export interface ErrorBody {
  readonly error_code: string;
  readonly error_msg: string;
  readonly request_id?: string;
}

export function asError(value: unknown): ErrorBody {
  const body = value as Partial<ErrorBody> | undefined;
  if (!body || typeof body.error_code !== 'string' || typeof body.error_msg !== 'string')
    throw new Error(`not an error body: ${JSON.stringify(value)}`);
  return body as ErrorBody;
}

/** POSTs/DELETEs/GETs JSON to the control surface. */
export function control(emulator: Emulator, method: string, path: string, body?: unknown): Promise<RawResponse> {
  return rawRequest(
    `${emulator.url}/__emulator${path}`,
    body === undefined ? {} : { 'Content-Type': 'application/json' },
    method,
    body === undefined ? undefined : JSON.stringify(body),
  );
}
