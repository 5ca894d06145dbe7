import { resolveSecret, type SecretOptions } from '../../secrets/resolveSecret';
import { WebhookUrlError } from '../errors';
import { API_ENDPOINTS } from '../constants';
import type { DestinationConfig, NotifyConfig, ResolvedDestination } from '../types';
import { webhookUrlProblem } from './urlPolicy';

/**
 * Reads every destination's URL and secrets and applies the URL policy. The notifier calls it on
 * every run with `options.cache`, so a rotated URL or signing secret is used once the cached read
 * expires. Errors name the destination and the reference, never the value.
 */
export async function resolveDestinations(
  config: NotifyConfig,
  options: SecretOptions = {},
): Promise<Map<string, ResolvedDestination>> {
  const out = new Map<string, ResolvedDestination>();
  await Promise.all(
    [...config.destinations.values()].map(async (d) => {
      const [rawUrl, ...secrets] = await Promise.all([
        d.url ? resolveSecret(d.url, options) : apiUrlOf(d),
        ...d.secrets.map((s) => resolveSecret(s, options)),
      ]);
      const { url, problem } = webhookUrlProblem(rawUrl ?? '', config.allowInsecureWebhooks);
      if (!url) throw new WebhookUrlError(d.id, problem ?? 'bad URL');
      if (d.type === 'webhook') {
        for (const s of secrets) {
          const key = s.startsWith('whsec_') ? s.slice(6) : s;
          if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || Buffer.from(key, 'base64').length < 16) {
            throw new WebhookUrlError(d.id, 'a webhook secret must be whsec_ followed by base64 of at least 16 bytes');
          }
        }
      }
      out.set(d.id, { ...d, url, secrets });
    }),
  );
  return out;
}

/**
 * The API URL of an `smn` destination (its topic's publish path, on the endpoint of the topic's
 * region) or a `pagerduty` one (`/v2/enqueue`). Not secret: the SMN request is signed, the PagerDuty
 * routing key travels in the body.
 */
export function apiUrlOf(d: DestinationConfig): string {
  if (d.type === 'pagerduty') return `${d.endpoint ?? API_ENDPOINTS.pagerduty}/v2/enqueue`;
  const urn = d.topicUrn ?? '';
  const [, , region = '', projectId = ''] = urn.split(':');
  const base = d.endpoint ?? API_ENDPOINTS.smn(region);
  return `${base}/v2/${projectId}/notifications/topics/${encodeURIComponent(urn).replaceAll('%3A', ':')}/publish`;
}
