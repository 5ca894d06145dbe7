import { SIGNING } from '../../signing/constants';
import { signRequest } from '../../signing/signRequest';
import { clip, context, eventLabel, fitItems, itemLine, moreLine, readJson, title } from './render';
import type { Channel, Outcome } from './types';

/** SMN's limits (API reference, SDK model): subject ≤ 512 bytes; SMS text ≤ 490 characters, without `[]`/`【】`. */
export const SMN_LIMITS = { subjectBytes: 512, smsChars: 490 } as const;

/** `s` cut to at most `max` UTF-8 bytes, on a character boundary, marking the cut. */
export function clipBytes(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  let out = '';
  for (const ch of s) {
    if (Buffer.byteLength(`${out}${ch}…`) > max) break;
    out += ch;
  }
  return `${out}…`;
}

/** SMS text may not hold square or lenticular brackets (SMN's SDK documents it): round ones instead. */
const smsSafe = (s: string): string => s.replace(/[[【]/g, '(').replace(/[\]】]/g, ')');

/**
 * Huawei SMN topic: `POST /v2/{project_id}/notifications/topics/{topic_urn}/publish`, AK/SK-signed with
 * the invocation's credentials (those of the DMS calls), a `subject` (the e-mail subject) and a
 * `message_structure` with `default` and `email` (the full list) and a short `sms` (title and first
 * task). One message per instance, like the chat platforms: a topic's subscribers get one e-mail or
 * SMS per burst.
 */
export const smnChannel: Channel = {
  groups: true,
  build(dest, items, ctx) {
    const head = title(items, ctx.pending);
    const first = items[0];
    const rest = items.length > 1 ? ` (+${items.length - 1} more)` : '';
    const sms = first
      ? clip(smsSafe(`${head}. ${eventLabel(first)}: ${clip(first.task.name, 80)}${rest}`), SMN_LIMITS.smsChars)
      : clip(smsSafe(head), SMN_LIMITS.smsChars);
    const { body, shown } = fitItems(items, ctx.maxItems, dest.maxBodyBytes, (shownItems, more, cut) => {
      const email = [
        head,
        context(items),
        '',
        ...shownItems.map((n) => `- ${itemLine(n)}`),
        ...(more > 0 ? ['', moreLine(more, cut)] : []),
      ].join('\n');
      const structure = JSON.stringify({ default: email, email, sms });
      return JSON.stringify({ subject: clipBytes(head, SMN_LIMITS.subjectBytes), message_structure: structure });
    });
    const url = new URL(dest.url.href);
    // As Huawei's SDK sends a publish (evidence/sdk-requests.json): `content-type: application/json` (its
    // core sends that for any JSON operation) and the project in `X-Project-Id`, both signed.
    const pathSegments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const headers = { 'content-type': 'application/json', [SIGNING.projectHeader]: pathSegments[1] ?? '' };
    const credentials = ctx.credentials?.();
    const signed = credentials
      ? signRequest(
          {
            method: 'POST',
            host: url.host,
            pathSegments,
            headers,
            body,
          },
          credentials,
          { date: ctx.now },
        )
      : headers;
    return { url: url.href, headers: signed, body, shown };
  },
  readBody(text): Outcome {
    const id = readJson(text)?.message_id;
    return typeof id === 'string' && id !== ''
      ? { kind: 'delivered' }
      : { kind: 'retry', reason: 'smn: 2xx without message_id' };
  },
  readError(status, text) {
    const j = readJson(text);
    const code = j?.code ?? j?.error_code;
    const named = `smn HTTP ${status}${typeof code === 'string' ? ` ${clip(code, 40)}` : ''}`;
    // Credentials and permissions: the agency's keys rotate and an IAM grant can be fixed without a
    // configuration change, so these wait (with backoff, until max age) rather than die.
    if (status === 401) return { kind: 'retry', reason: `${named} (signature or credentials)` };
    if (status === 403) return { kind: 'retry', reason: `${named} (not allowed: needs smn:topic:publish)` };
    if (status === 404) return { kind: 'permanent', reason: `${named} (topic not found)` };
    if (status === 400) return { kind: 'permanent', reason: `${named} (request refused)` };
    return undefined;
  },
};
