import { randomBytes } from 'node:crypto';
import type { EmulatorState } from './state';
import { EmulatorInputError } from './types';

/** A message the emulated SMN accepted, as published (for tests to read). */
export interface SmnPublished {
  readonly messageId: string;
  readonly topicUrn: string;
  readonly subject?: string;
  /** `message_structure` parsed: `default` and per-protocol texts (`sms`, `email`, ...). */
  readonly structure?: Readonly<Record<string, string>>;
  readonly message?: string;
  readonly timeToLive?: string;
}

interface SmnResponse {
  readonly status: number;
  readonly body: unknown;
}

/**
 * SMN's error answers `{request_id, code, message}` (API reference, "Exception Response"). `SMN.0006`
 * "Topic not found." is the reference's own example; `SMN.0021` "MessageStructure is invalid." is in
 * its error code table. The other codes here are our choice (not checked against the service).
 */
export const SMN_ERRORS = {
  topicNotFound: { status: 404, code: 'SMN.0006', message: 'Topic not found.' },
  badStructure: { status: 400, code: 'SMN.0021', message: 'MessageStructure is invalid.' },
  badSubject: { status: 400, code: 'SMN.0022', message: 'Parameter: Subject is invalid.' },
  badBody: { status: 400, code: 'SMN.0001', message: 'Invalid request body.' },
} as const;

const TOPIC_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/;
const PROJECT_ID = /^[0-9a-f]{32}$/i;
/** `subject` at most 512 bytes; a message (or structure) at most 256 KB (SMN's API reference). */
const MAX_SUBJECT_BYTES = 512;
const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * The topics of an emulated SMN, per project, and what was published to them. Topic URNs are
 * `urn:smn:{region}:{project_id}:{name}`, the documented form.
 */
export class SmnTopics {
  readonly #topics = new Set<string>();
  readonly published: SmnPublished[] = [];

  /** Creates topic `name` in `projectId` and returns its URN. */
  add(projectId: string, name: string, region = 'cn-north-4'): string {
    if (!PROJECT_ID.test(projectId)) throw new EmulatorInputError('projectId must be 32 hex digits');
    if (!TOPIC_NAME.test(name)) throw new EmulatorInputError('topic name: letters, digits, _ and -, up to 255');
    const urn = `urn:smn:${region}:${projectId}:${name}`;
    this.#topics.add(urn);
    return urn;
  }

  has(urn: string): boolean {
    return this.#topics.has(urn);
  }

  clear(): void {
    this.#topics.clear();
    this.published.length = 0;
  }
}

const stores = new WeakMap<EmulatorState, SmnTopics>();

/** The SMN topics of the emulator that owns `state` (made on first use). */
export function smnTopicsOf(state: EmulatorState): SmnTopics {
  let topics = stores.get(state);
  if (!topics) {
    topics = new SmnTopics();
    stores.set(state, topics);
  }
  return topics;
}

/** `/v2/{project_id}/notifications/topics/{topic_urn}/publish`: the path SMN's publish API serves. */
export function isSmnPublishPath(s: readonly string[]): boolean {
  return s.length === 6 && s[0] === 'v2' && s[2] === 'notifications' && s[3] === 'topics' && s[5] === 'publish';
}

/** `/v2/{project_id}/notifications/topics/{topic_urn}`: SMN's Query Topic Details (ListTopicDetails). */
export function isSmnTopicPath(s: readonly string[]): boolean {
  return s.length === 5 && s[0] === 'v2' && s[2] === 'notifications' && s[3] === 'topics';
}

/**
 * `GET /v2/{project_id}/notifications/topics/{topic_urn}` (support.huaweicloud.com/api-smn/ListTopicDetails.html):
 * 200 with the topic's `name`, `topic_urn`, `display_name`, `push_policy`, `request_id`; 404 `SMN.0006`
 * for a topic that is not in the project. The self-check reads it to see that a topic exists.
 */
export function showTopic(topics: SmnTopics, projectId: string, topicUrn: string, requestId: string): SmnResponse {
  if (!topics.has(topicUrn) || topicUrn.split(':')[3] !== projectId) {
    const e = SMN_ERRORS.topicNotFound;
    return { status: e.status, body: { request_id: requestId, code: e.code, message: e.message } };
  }
  const name = topicUrn.split(':')[4] ?? '';
  return {
    status: 200,
    body: { request_id: requestId, name, topic_urn: topicUrn, display_name: name, push_policy: 0 },
  };
}

const isStringMap = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

/**
 * `POST /v2/{project_id}/notifications/topics/{topic_urn}/publish`, after the gateway's checks
 * (signature, lockout, tenancy) in `routeApi`. Checks what SMN's reference states: the topic exists in
 * the project, `subject` within 512 bytes, `message_structure` a JSON string of strings with `default`
 * (it wins over `message`). Answers 200 `{request_id, message_id}`.
 */
export function publishToTopic(
  topics: SmnTopics,
  projectId: string,
  topicUrn: string,
  body: string,
  requestId: string,
): SmnResponse {
  const fail = (e: (typeof SMN_ERRORS)[keyof typeof SMN_ERRORS]): SmnResponse => ({
    status: e.status,
    body: { request_id: requestId, code: e.code, message: e.message },
  });
  if (!topics.has(topicUrn) || topicUrn.split(':')[3] !== projectId) return fail(SMN_ERRORS.topicNotFound);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return fail(SMN_ERRORS.badBody);
  }
  if (typeof parsed !== 'object' || parsed === null) return fail(SMN_ERRORS.badBody);
  const b = parsed as Record<string, unknown>;
  if (b.subject !== undefined && (typeof b.subject !== 'string' || Buffer.byteLength(b.subject) > MAX_SUBJECT_BYTES))
    return fail(SMN_ERRORS.badSubject);
  let structure: Record<string, string> | undefined;
  if (b.message_structure !== undefined) {
    if (typeof b.message_structure !== 'string' || Buffer.byteLength(b.message_structure) > MAX_MESSAGE_BYTES)
      return fail(SMN_ERRORS.badStructure);
    try {
      const s: unknown = JSON.parse(b.message_structure);
      if (!isStringMap(s) || !s.default) return fail(SMN_ERRORS.badStructure);
      structure = s;
    } catch {
      return fail(SMN_ERRORS.badStructure);
    }
  } else if (typeof b.message !== 'string' || b.message === '') {
    return fail(SMN_ERRORS.badBody);
  }
  const messageId = randomBytes(16).toString('hex');
  topics.published.push({
    messageId,
    topicUrn,
    ...(typeof b.subject === 'string' ? { subject: b.subject } : {}),
    ...(structure ? { structure } : { message: b.message as string }),
    ...(typeof b.time_to_live === 'string' ? { timeToLive: b.time_to_live } : {}),
  });
  return { status: 200, body: { request_id: requestId, message_id: messageId } };
}
