import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { CHANNELS, dingtalkSign, feishuSign } from '../../lib/notify/channels';
import { DESTINATION_DEFAULTS } from '../../lib/notify/constants';
import { classifyResponse } from '../../lib/notify/deliver/post';
import { RateLimiter } from '../../lib/notify/deliver/rateLimiter';
import { notificationId } from '../../lib/notify/records';
import { normalizeTrigger } from '../../lib/notify/triggerEvent';
import {
  DESTINATION_TYPES,
  type DestinationType,
  type Notification,
  type ResolvedDestination,
} from '../../lib/notify/types';

const dest = (type: DestinationType, secrets: string[] = []): ResolvedDestination => ({
  id: type,
  type,
  url: new URL('https://hooks.example.com/x?access_token=t'),
  secrets,
  ratePerMinute: DESTINATION_DEFAULTS[type].ratePerMinute,
  maxBodyBytes: DESTINATION_DEFAULTS[type].maxBodyBytes,
  timeoutMs: 1000,
});

const note = (i: number, name = `modifyInstanceSpec-${i}`): Notification => ({
  id: notificationId('p', 'inst', `t${i}`, 'failed', 'd'),
  destinationId: 'd',
  event: 'failed',
  projectId: 'p',
  region: 'cn-north-4',
  instanceId: 'inst',
  instanceName: 'orders-kafka',
  engine: 'kafka',
  task: {
    id: `t${i}`,
    name,
    status: 'FAILED',
    user_name: 'ops',
    created_at: '2026-11-20T10:00:00.000Z',
    updated_at: '2026-11-20T11:00:00.000Z',
  },
  detectedAt: '2026-11-20T11:01:00.000Z',
});
const now = new Date('2026-11-20T11:02:03.000Z');

describe('channels', () => {
  it('the generic webhook signs per Standard Webhooks with every secret (verified by the reference package)', () => {
    const old = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const cur = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const req = CHANNELS.webhook.build(dest('webhook', [old, cur]), [note(1)], { now, maxItems: 20 });
    expect(req.headers['webhook-timestamp']).toBe(String(now.getTime() / 1000));
    for (const s of [old, cur]) {
      const w = new Webhook(s);
      // The reference verifier checks the timestamp against the wall clock; sign an equal message now.
      const sig = w.sign(req.headers['webhook-id'] as string, now, req.body);
      expect(req.headers['webhook-signature']?.split(' ')).toContain(sig);
    }
  });

  it('webhook-ids are stable per (task, event, destination) and differ otherwise', () => {
    const a = notificationId('p', 'i', 't', 'failed', 'd');
    expect(notificationId('p', 'i', 't', 'failed', 'd')).toBe(a);
    expect(
      new Set([
        a,
        notificationId('p', 'i', 't', 'stuck', 'd'),
        notificationId('p', 'i', 't', 'failed', 'e'),
        notificationId('p', 'i', 't2', 'failed', 'd'),
      ]).size,
    ).toBe(4);
  });

  it('Feishu and DingTalk signatures follow the documented recipes', () => {
    const secret = 'SECabc';
    expect(feishuSign(1700000000, secret)).toBe(
      createHmac('sha256', `1700000000\n${secret}`).update(Buffer.alloc(0)).digest('base64'),
    );
    expect(dingtalkSign(1700000000000, secret)).toBe(
      createHmac('sha256', secret).update(`1700000000000\n${secret}`).digest('base64'),
    );
    const f = CHANNELS.feishu.build(dest('feishu', [secret]), [note(1)], { now, maxItems: 20 });
    expect(JSON.parse(f.body)).toMatchObject({
      timestamp: String(now.getTime() / 1000),
      sign: feishuSign(now.getTime() / 1000, secret),
      msg_type: 'interactive',
    });
    const d = CHANNELS.dingtalk.build(dest('dingtalk', [secret]), [note(1)], { now, maxItems: 20 });
    const u = new URL(d.url);
    expect(u.searchParams.get('access_token')).toBe('t');
    expect(u.searchParams.get('sign')).toBe(dingtalkSign(now.getTime(), secret));
    expect(d.url).toContain(`sign=${encodeURIComponent(dingtalkSign(now.getTime(), secret))}`);
  });

  it('Teams sends an Adaptive Card attachment; Slack has text and blocks', () => {
    const t = JSON.parse(CHANNELS.teams.build(dest('teams'), [note(1)], { now, maxItems: 20 }).body);
    expect(t.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(t.attachments[0].content.type).toBe('AdaptiveCard');
    const s = JSON.parse(CHANNELS.slack.build(dest('slack'), [note(1), note(2)], { now, maxItems: 20 }).body);
    expect(s.text).toContain('2 tasks failed');
    expect(s.blocks.length).toBeLessThanOrEqual(50);
  });

  it('every grouped body stays within its budget and accounts for every item (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DESTINATION_TYPES.filter((t) => CHANNELS[t].groups)),
        fc.array(fc.string({ minLength: 1, maxLength: 400 }), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 50 }),
        (type, names, maxItems) => {
          const items = names.map((n, i) => note(i, n));
          const req = CHANNELS[type].build(dest(type, ['SECx']), items, { now, maxItems });
          expect(Buffer.byteLength(req.body)).toBeLessThanOrEqual(DESTINATION_DEFAULTS[type].maxBodyBytes);
          expect(req.shown).toBeGreaterThanOrEqual(1);
          expect(req.shown).toBeLessThanOrEqual(Math.min(maxItems, items.length));
          if (req.shown < items.length) expect(req.body).toContain(`and ${items.length - req.shown} more`);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('classifies answers: 2xx + platform OK delivered; 429/5xx retry with Retry-After; 410/4xx/3xx permanent', () => {
    const t = 1_800_000_000_000;
    expect(classifyResponse(CHANNELS.webhook, 204, null, '', t)).toEqual({ kind: 'delivered' });
    expect(classifyResponse(CHANNELS.slack, 429, '3', 'rate_limited', t)).toEqual({
      kind: 'retry',
      reason: 'HTTP 429',
      retryAfterMs: 3000,
    });
    expect(classifyResponse(CHANNELS.webhook, 503, null, '', t)).toMatchObject({ kind: 'retry' });
    expect(classifyResponse(CHANNELS.webhook, 410, null, '', t)).toMatchObject({ kind: 'permanent' });
    expect(classifyResponse(CHANNELS.webhook, 404, null, '', t)).toMatchObject({ kind: 'permanent' });
    expect(classifyResponse(CHANNELS.webhook, 301, null, '', t)).toMatchObject({ kind: 'permanent' });
    expect(classifyResponse(CHANNELS.feishu, 200, null, '{"code":0,"msg":"success"}', t)).toEqual({
      kind: 'delivered',
    });
    expect(classifyResponse(CHANNELS.feishu, 200, null, '{"StatusCode":0}', t)).toEqual({ kind: 'delivered' });
    expect(classifyResponse(CHANNELS.feishu, 200, null, '{"code":19021,"msg":"sign match fail"}', t)).toMatchObject({
      kind: 'permanent',
    });
    expect(classifyResponse(CHANNELS.feishu, 200, null, '{"code":11232,"msg":"frequency limited"}', t)).toMatchObject({
      kind: 'retry',
    });
    expect(classifyResponse(CHANNELS.dingtalk, 200, null, '{"errcode":130101}', t)).toMatchObject({
      kind: 'retry',
      retryAfterMs: 600_000,
    });
    expect(classifyResponse(CHANNELS.dingtalk, 200, null, '{"errcode":310000}', t)).toMatchObject({
      kind: 'permanent',
    });
    expect(classifyResponse(CHANNELS.wecom, 200, null, '{"errcode":45009}', t)).toMatchObject({ kind: 'retry' });
    expect(classifyResponse(CHANNELS.wecom, 200, null, '<html>proxy</html>', t)).toMatchObject({ kind: 'retry' });
  });
});

describe('RateLimiter', () => {
  it('spaces messages only where the platform has a per-second limit', () => {
    const burst = new RateLimiter(600, 0);
    const spaced = new RateLimiter(60, 1000);
    for (const r of [burst, spaced]) r.record(0);
    expect(burst.waitMs(1)).toBe(0);
    expect(spaced.waitMs(1)).toBe(999);
    // The window still holds for the burst-friendly one: the 601st send in a minute waits.
    for (let i = 1; i < 600; i++) burst.record(i);
    expect(burst.waitMs(600)).toBe(59_400);
  });

  it('never allows more than the limit in any minute, and spaces fast limits (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 200 }),
        (perMinute, gaps) => {
          const r = new RateLimiter(perMinute, perMinute >= 60 ? 1000 : 0);
          let t = 0;
          const sent: number[] = [];
          for (const g of gaps) {
            t += g;
            t += r.waitMs(t);
            r.record(t);
            sent.push(t);
          }
          for (const s of sent)
            expect(sent.filter((x) => x >= s && x < s + 60_000).length).toBeLessThanOrEqual(perMinute);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('normalizeTrigger', () => {
  it('recognises schedule, FunctionGraph timer and manual events', () => {
    expect(normalizeTrigger({ source: 'aws.events', 'detail-type': 'Scheduled Event', time: 'T' })).toEqual({
      kind: 'aws-schedule',
      time: 'T',
    });
    expect(
      normalizeTrigger({ version: 'v1.0', time: 'T', trigger_type: 'TIMER', trigger_name: 'n', user_event: '' }),
    ).toEqual({ kind: 'functiongraph-timer', time: 'T', name: 'n' });
    expect(normalizeTrigger(null)).toEqual({ kind: 'manual' });
    expect(normalizeTrigger('x')).toEqual({ kind: 'manual' });
  });
});
