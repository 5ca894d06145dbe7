import { context, fitItems, itemLine, moreLine, title } from './render';
import type { Channel } from './types';

/** Microsoft Teams through a Workflows webhook: a message with one Adaptive Card attachment. */
export const teamsChannel: Channel = {
  groups: true,
  build(dest, items, ctx) {
    const { body, shown } = fitItems(items, ctx.maxItems, dest.maxBodyBytes, (shownItems, more, cut) =>
      JSON.stringify({
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            contentUrl: null,
            content: {
              $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
              type: 'AdaptiveCard',
              version: '1.4',
              body: [
                { type: 'TextBlock', size: 'Medium', weight: 'Bolder', text: title(items, ctx.pending), wrap: true },
                { type: 'TextBlock', isSubtle: true, spacing: 'None', text: context(items), wrap: true },
                ...shownItems.map((n) => ({ type: 'TextBlock', text: itemLine(n), wrap: true })),
                ...(more > 0 ? [{ type: 'TextBlock', isSubtle: true, text: moreLine(more, cut), wrap: true }] : []),
              ],
            },
          },
        ],
      }),
    );
    return { url: dest.url.href, headers: { 'content-type': 'application/json' }, body, shown };
  },
  readBody: () => ({ kind: 'delivered' }),
};
