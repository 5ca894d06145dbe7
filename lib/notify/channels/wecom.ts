import { context, fitItems, itemLine, moreLine, readJson, title } from './render';
import type { Channel, Outcome } from './types';

/** WeCom group robot: markdown content ≤ 4096 bytes (the channel budget counts the whole body). */
export const wecomChannel: Channel = {
  groups: true,
  build(dest, items, ctx) {
    const { body, shown } = fitItems(items, ctx.maxItems, dest.maxBodyBytes, (shownItems, more, cut) => {
      const content = [
        `**${title(items, ctx.pending)}**`,
        `> ${context(items)}`,
        ...shownItems.map((n) => `- ${itemLine(n)}`),
        ...(more > 0 ? [moreLine(more, cut)] : []),
      ].join('\n');
      return JSON.stringify({ msgtype: 'markdown', markdown: { content } });
    });
    return { url: dest.url.href, headers: { 'content-type': 'application/json' }, body, shown };
  },
  readBody(text): Outcome {
    const j = readJson(text);
    const code = j?.errcode;
    if (code === 0) return { kind: 'delivered' };
    if (typeof code !== 'number') return { kind: 'retry', reason: 'wecom: unreadable 2xx body' };
    if (code === 45009) return { kind: 'retry', reason: 'wecom code 45009 (rate limited)', retryAfterMs: 60_000 };
    if (code === -1) return { kind: 'retry', reason: 'wecom code -1 (busy)' };
    return { kind: 'permanent', reason: `wecom code ${code}` };
  },
};
