import { createHmac } from 'node:crypto';
import { context, fitItems, itemLine, moreLine, readJson, title } from './render';
import type { Channel, Outcome } from './types';

/**
 * DingTalk recipe: base64(HMAC-SHA256(key = secret, message = "{timestamp}\n{secret}")), timestamp in ms;
 * URL-encoded in the query.
 */
export function dingtalkSign(timestampMs: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

export const dingtalkChannel: Channel = {
  groups: true,
  build(dest, items, ctx) {
    const url = new URL(dest.url.href);
    const secret = dest.secrets[0];
    if (secret) {
      const ts = ctx.now.getTime();
      url.searchParams.set('timestamp', String(ts));
      url.searchParams.set('sign', dingtalkSign(ts, secret)); // URLSearchParams percent-encodes it once
    }
    const { body, shown } = fitItems(items, ctx.maxItems, dest.maxBodyBytes, (shownItems, more, cut) => {
      const head = title(items, ctx.pending);
      const text = [
        `#### ${head}`,
        '',
        `> ${context(items)}`,
        '',
        ...shownItems.map((n) => `- ${itemLine(n)}`),
        ...(more > 0 ? ['', moreLine(more, cut)] : []),
      ].join('\n');
      return JSON.stringify({ msgtype: 'markdown', markdown: { title: head, text } });
    });
    return { url: url.href, headers: { 'content-type': 'application/json' }, body, shown };
  },
  readBody(text): Outcome {
    const j = readJson(text);
    const code = j?.errcode;
    if (code === 0) return { kind: 'delivered' };
    if (typeof code !== 'number') return { kind: 'retry', reason: 'dingtalk: unreadable 2xx body' };
    // 130101: more than 20 messages a minute; the robot is then blocked for 10 minutes.
    if (code === 130101)
      return { kind: 'retry', reason: 'dingtalk code 130101 (rate limited)', retryAfterMs: 10 * 60_000 };
    if (code === -1) return { kind: 'retry', reason: 'dingtalk code -1 (busy)' };
    return { kind: 'permanent', reason: `dingtalk code ${code}` };
  },
};
