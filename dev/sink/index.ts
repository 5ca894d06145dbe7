/**
 * A local webhook receiver for tests and `npm start`: one HTTP server on loopback that accepts every
 * destination type under `/{type}/{name}` (`webhook`, `slack`, `teams`, `feishu`, `dingtalk`, `wecom`;
 * `pagerduty` under `/pagerduty/{name}/v2/enqueue`, modelling the Events API v2: `pagerduty.ts`),
 * verifies signatures the way each platform documents them (Standard Webhooks through the
 * `standardwebhooks` package; Feishu and DingTalk recipes recomputed here), answers the way each
 * platform answers, and records what it received. Responses can be scripted to simulate outages,
 * throttling and platform errors.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { pagerDutyAnswer } from './pagerduty';

export const SINK_TYPES = ['webhook', 'slack', 'teams', 'feishu', 'dingtalk', 'wecom', 'pagerduty'] as const;
export type SinkType = (typeof SINK_TYPES)[number];

export interface SinkRequest {
  readonly type: SinkType;
  readonly name: string;
  /** Path and query as received. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly raw: string;
  /** The parsed JSON body (undefined when not JSON). */
  readonly body: unknown;
  /** `true` verified, `false` failed, `undefined` when the type is unsigned or no secret is known. */
  readonly verified: boolean | undefined;
  readonly verifyError?: string;
  /** The status the sink answered. */
  readonly status: number;
  /** Whether the answer was a success (2xx with a platform OK body). */
  readonly ok: boolean;
  readonly webhookId?: string;
  /** Wall-clock ms. */
  readonly at: number;
}

export interface ScriptedResponse {
  readonly status: number;
  readonly body?: string | Record<string, unknown>;
  readonly headers?: Readonly<Record<string, string>>;
  /** Destroy the connection without answering. */
  readonly reset?: boolean;
}

export interface SinkOptions {
  /** @default 0 (a free port) */
  readonly port?: number;
  /**
   * Signing secrets by destination name: `whsec_...` (several allowed) for webhook, the bot secret for
   * Feishu/DingTalk.
   */
  readonly secrets?: Readonly<Record<string, string | readonly string[]>>;
  /** Print one line per received message (for `npm start`). @default false */
  readonly print?: boolean | ((line: string) => void);
}

export interface Sink {
  readonly url: string;
  readonly port: number;
  /** Every request received, oldest first. */
  readonly requests: readonly SinkRequest[];
  /** Requests answered with success (2xx and a platform OK body). */
  readonly accepted: readonly SinkRequest[];
  /** The URL for a destination: `{url}/{type}/{name}`. */
  urlFor(type: SinkType, name: string): string;
  /** Overrides the answer; return undefined to answer normally. Applies until set again. */
  respond(
    fn: ((req: { type: SinkType; name: string; count: number }) => ScriptedResponse | undefined) | undefined,
  ): void;
  /** 503 to everything until `up()`. */
  down(): void;
  up(): void;
  reset(): void;
  setSecret(name: string, secret: string | readonly string[]): void;
  close(): Promise<void>;
}

const OK: Record<SinkType, ScriptedResponse> = {
  webhook: { status: 204 },
  slack: { status: 200, body: 'ok' },
  teams: { status: 202 },
  feishu: { status: 200, body: { code: 0, msg: 'success', data: {} } },
  dingtalk: { status: 200, body: { errcode: 0, errmsg: 'ok' } },
  wecom: { status: 200, body: { errcode: 0, errmsg: 'ok' } },
  pagerduty: { status: 202, body: { status: 'success', message: 'Event processed' } },
};

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function verify(
  type: SinkType,
  secrets: readonly string[],
  headers: Record<string, string>,
  raw: string,
  body: unknown,
  query: URLSearchParams,
): { ok?: boolean; error?: string } {
  if (secrets.length === 0 || !['webhook', 'feishu', 'dingtalk'].includes(type)) return {};
  const nowMs = Date.now();
  try {
    if (type === 'webhook') {
      // Verified by the reference implementation; any one of the configured secrets may match.
      const errors: string[] = [];
      for (const s of secrets) {
        try {
          new Webhook(s).verify(raw, headers);
          return { ok: true };
        } catch (e) {
          errors.push(e instanceof Error ? e.message : 'error');
        }
      }
      return { ok: false, error: errors.join('; ') };
    }
    const secret = secrets[0] ?? '';
    if (type === 'feishu') {
      const b = body as { timestamp?: unknown; sign?: unknown };
      const ts = Number(b.timestamp);
      if (typeof b.sign !== 'string' || !Number.isInteger(ts)) return { ok: false, error: 'missing timestamp/sign' };
      if (Math.abs(nowMs / 1000 - ts) > 3600) return { ok: false, error: 'timestamp not within one hour' };
      const expected = createHmac('sha256', `${ts}\n${secret}`).update('').digest('base64');
      return safeEqual(expected, b.sign) ? { ok: true } : { ok: false, error: 'sign mismatch' };
    }
    const ts = Number(query.get('timestamp'));
    const sign = query.get('sign'); // URLSearchParams decodes the urlencoded value
    if (!sign || !Number.isInteger(ts)) return { ok: false, error: 'missing timestamp/sign' };
    if (Math.abs(nowMs - ts) > 3600_000) return { ok: false, error: 'timestamp not within one hour' };
    const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
    return safeEqual(expected, sign) ? { ok: true } : { ok: false, error: 'sign mismatch' };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : 'error' };
  }
}

/** The value at `path` inside parsed JSON, or undefined where the path leaves it. */
function at(value: unknown, ...path: readonly (string | number)[]): unknown {
  let v = value;
  for (const k of path)
    v = typeof v === 'object' && v !== null ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}

function summary(type: SinkType, body: unknown): string {
  if (!body) return '';
  if (type === 'webhook')
    return (
      `${at(body, 'type')} ${at(body, 'data', 'instance', 'name')} task ${at(body, 'data', 'task', 'name')} ` +
      `${at(body, 'data', 'task', 'status')} (${at(body, 'data', 'task', 'id')})`
    );
  if (type === 'slack') return String(at(body, 'text') ?? '');
  if (type === 'pagerduty')
    return `${at(body, 'event_action')} ${at(body, 'dedup_key')}: ${at(body, 'payload', 'summary') ?? ''}`;
  if (type === 'feishu') return String(at(body, 'card', 'header', 'title', 'content') ?? '');
  if (type === 'dingtalk') return String(at(body, 'markdown', 'title') ?? '');
  if (type === 'wecom') return String(at(body, 'markdown', 'content') ?? '').split('\n')[0] ?? '';
  return String(at(body, 'attachments', 0, 'content', 'body', 0, 'text') ?? '');
}

/** Starts the sink on 127.0.0.1. */
export async function startSink(options: SinkOptions = {}): Promise<Sink> {
  const requests: SinkRequest[] = [];
  const secrets = new Map<string, readonly string[]>(
    Object.entries(options.secrets ?? {}).map(([k, v]) => [k, typeof v === 'string' ? [v] : v]),
  );
  let script: ((req: { type: SinkType; name: string; count: number }) => ScriptedResponse | undefined) | undefined;
  let isDown = false;
  const print = options.print === true ? (l: string) => console.log(l) : options.print || undefined;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://sink');
      const [, typeRaw = '', name = ''] = url.pathname.split('/');
      const type = typeRaw as SinkType;
      if (req.method !== 'POST' || !SINK_TYPES.includes(type) || !name) {
        res.writeHead(404).end();
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      const v = verify(type, secrets.get(name) ?? [], headers, raw, body, url.searchParams);
      const count = requests.filter((r) => r.type === type && r.name === name).length;
      const normal = (): ScriptedResponse =>
        type === 'pagerduty' ? pagerDutyAnswer(body, secrets.get(name)?.[0]) : OK[type];
      let answer: ScriptedResponse = isDown
        ? { status: 503, body: 'down' }
        : (script?.({ type, name, count }) ?? normal());
      if (v.ok === false && !isDown) {
        answer =
          type === 'webhook'
            ? { status: 401, body: 'bad signature' }
            : type === 'feishu'
              ? {
                  status: 200,
                  body: { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' },
                }
              : { status: 200, body: { errcode: 310000, errmsg: 'sign not match' } };
      }
      const record: SinkRequest = {
        type,
        name,
        path: `${url.pathname}${url.search}`,
        headers,
        raw,
        body,
        verified: v.ok,
        ...(v.error ? { verifyError: v.error } : {}),
        status: answer.reset ? 0 : answer.status,
        ok:
          !answer.reset &&
          answer.status >= 200 &&
          answer.status < 300 &&
          !(typeof answer.body === 'object' && ((answer.body.code ?? 0) !== 0 || (answer.body.errcode ?? 0) !== 0)),
        ...(headers['webhook-id'] ? { webhookId: headers['webhook-id'] } : {}),
        at: Date.now(),
      };
      requests.push(record);
      if (print)
        print(
          `[sink] ${type}/${name} -> ${record.status}` +
            `${v.ok === true ? ' (signature ok)' : v.ok === false ? ` (signature FAILED: ${v.error})` : ''}` +
            `${record.webhookId ? ` ${record.webhookId}` : ''}: ${summary(type, body)}`,
        );
      if (answer.reset) {
        req.socket.destroy();
        return;
      }
      const text =
        answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, {
        'content-type': typeof answer.body === 'object' ? 'application/json' : 'text/plain',
        ...answer.headers,
      });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const isAccepted = (r: SinkRequest): boolean => r.ok;
  return {
    url,
    port,
    get requests() {
      return [...requests];
    },
    get accepted() {
      return requests.filter(isAccepted);
    },
    urlFor: (type, name) => `${url}/${type}/${name}`,
    respond(fn) {
      script = fn;
    },
    down() {
      isDown = true;
    },
    up() {
      isDown = false;
    },
    reset() {
      requests.length = 0;
      script = undefined;
      isDown = false;
    },
    setSecret(name, secret) {
      secrets.set(name, typeof secret === 'string' ? [secret] : secret);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
