import { createHmac } from 'node:crypto';
import { context, fitItems, itemLine, moreLine, readJson, title } from './render';
import type { Channel, Outcome } from './types';

/** Feishu/Lark recipe: base64(HMAC-SHA256(key = "{timestamp}\n{secret}", message = empty)). Timestamp in seconds. */
export function feishuSign(timestampSeconds: number, secret: string): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/** Feishu codes worth a later retry: rate limited, server busy. */
const FEISHU_RETRY = new Set([11232, 11233, 9499]);

export const feishuChannel: Channel = {
  groups: true,
  build(dest, items, ctx) {
    const ts = Math.floor(ctx.now.getTime() / 1000);
    const secret = dest.secrets[0];
    const signing = secret ? { timestamp: String(ts), sign: feishuSign(ts, secret) } : {};
    const { body, shown } = fitItems(items, ctx.maxItems, dest.maxBodyBytes, (shownItems, more, cut) =>
      JSON.stringify({
        ...signing,
        msg_type: 'interactive',
        card: {
          header: {
            template: items.every((i) => i.event === 'recovered') ? 'green' : 'red',
            title: { tag: 'plain_text', content: title(items, ctx.pending) },
          },
          elements: [
            { tag: 'div', text: { tag: 'lark_md', content: context(items) } },
            {
              tag: 'div',
              text: {
                tag: 'lark_md',
                content: [
                  ...shownItems.map((n) => `- ${itemLine(n)}`),
                  ...(more > 0 ? [moreLine(more, cut)] : []),
                ].join('\n'),
              },
            },
          ],
        },
      }),
    );
    return { url: dest.url.href, headers: { 'content-type': 'application/json' }, body, shown };
  },
  readBody(text): Outcome {
    const j = readJson(text);
    const code = j?.code ?? j?.StatusCode;
    if (code === 0) return { kind: 'delivered' };
    if (typeof code !== 'number') return { kind: 'retry', reason: 'feishu: unreadable 2xx body' };
    const reason = `feishu code ${code}`;
    return FEISHU_RETRY.has(code) ? { kind: 'retry', reason } : { kind: 'permanent', reason };
  },
};
