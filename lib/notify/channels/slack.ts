import { clip, context, fitItems, itemLine, moreLine, title } from './render';
import type { Channel } from './types';

/** Slack incoming webhook: `text` (fallback) and Block Kit; ≤ 50 blocks, section text ≤ 3000 chars. */
export const slackChannel: Channel = {
  groups: true,
  build(dest, items, ctx) {
    const { body, shown } = fitItems(items, Math.min(ctx.maxItems, 45), dest.maxBodyBytes, (shownItems, more, cut) => {
      const head = title(items, ctx.pending);
      const blocks: unknown[] = [
        { type: 'header', text: { type: 'plain_text', text: clip(head, 150) } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: context(items) }] },
        ...shownItems.map((n) => ({ type: 'section', text: { type: 'mrkdwn', text: clip(itemLine(n), 2900) } })),
      ];
      if (more > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: moreLine(more, cut) }] });
      return JSON.stringify({ text: `${head}${more > 0 ? ` (${more} not shown)` : ''}`, blocks });
    });
    return { url: dest.url.href, headers: { 'content-type': 'application/json' }, body, shown };
  },
  // Slack answers `ok`; its errors come with 4xx statuses.
  readBody: () => ({ kind: 'delivered' }),
};
