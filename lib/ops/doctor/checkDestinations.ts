import type { SecretRef } from '../../config/types';
import { type CheckResult, ok, problem, unknown } from '../../core/checkResult';
import type { Credentials } from '../../signing/credentials';
import { buildSignedUrl, signRequest } from '../../signing/signRequest';
import { apiUrlOf } from '../../notify/deliver/resolveDestinations';
import { NonPublicAddressError } from '../../notify/errors';
import { type Resolver, resolvePublic, systemResolver, webhookUrlProblem } from '../../notify/deliver/urlPolicy';
import type { DestinationConfig, NotifyConfig } from '../../notify/types';

export interface DestinationCheckDeps {
  readonly resolveSecret: (ref: SecretRef) => Promise<string>;
  /** The credentials SMN is called with (those of the DMS calls). */
  readonly credentials: () => Credentials | undefined;
  /** @default the system resolver */
  readonly resolveHost?: Resolver;
  /** @default global fetch */
  readonly fetch?: typeof fetch;
  /** @default 5000 */
  readonly timeoutMs?: number;
}

const URL_FIX = 'Use an https URL on a public host (allowInsecureWebhooks is for local development only).';

/** A destination's URL: resolved, under the URL policy, and resolving to public addresses only. */
async function checkReachable(
  d: DestinationConfig,
  config: NotifyConfig,
  deps: DestinationCheckDeps,
): Promise<{ row: CheckResult; url?: URL }> {
  let raw: string;
  try {
    raw = d.url ? await deps.resolveSecret(d.url) : apiUrlOf(d);
  } catch (err) {
    const row = problem(
      'destination.url',
      d.id,
      err instanceof Error ? err.message : 'unreadable',
      'Make the URL reference readable (see the secret rows).',
    );
    return { row };
  }
  const { url, problem: why } = webhookUrlProblem(raw, config.allowInsecureWebhooks);
  if (!url) return { row: problem('destination.url', d.id, why ?? 'bad URL', URL_FIX) };
  // Never the URL itself: a chat webhook's path is its secret. The host is not.
  if (config.allowInsecureWebhooks) {
    return {
      row: ok('destination.url', d.id, `${url.protocol}//${url.host} (allowInsecureWebhooks: address not judged)`),
      url,
    };
  }
  try {
    const addresses = await resolvePublic(url.hostname, deps.resolveHost ?? systemResolver);
    return {
      row: ok(
        'destination.url',
        d.id,
        `${url.protocol}//${url.host} resolves to ${addresses.length} public address(es)`,
      ),
      url,
    };
  } catch (err) {
    if (err instanceof NonPublicAddressError) {
      return { row: problem('destination.url', d.id, `${url.host}: ${err.message}`, URL_FIX), url };
    }
    return {
      row: problem(
        'destination.url',
        d.id,
        `${url.host} does not resolve (${err instanceof Error ? err.message : 'failed'})`,
        'Check the host name and that the function can resolve public names (on FunctionGraph: a VPC with DNS and ' +
          'a NAT gateway).',
      ),
      url,
    };
  }
}

/**
 * An SMN topic exists (Query Topic Details, `GET /v2/{project_id}/notifications/topics/{topic_urn}`,
 * support.huaweicloud.com/api-smn/ListTopicDetails.html; `smn:topic:get` with identity policies, its alias
 * `smn:topic:list` with the role/policy model the FunctionGraph module grants). No read needs
 * `smn:topic:publish`, so publishing rights stay `unknown` until a test notification is sent.
 */
async function checkTopic(d: DestinationConfig, publishUrl: URL, deps: DestinationCheckDeps): Promise<CheckResult[]> {
  const credentials = deps.credentials();
  if (!credentials)
    return [
      unknown('smn.topic', d.id, 'no credentials to sign with here', 'Run the self-check where the function runs.'),
    ];
  const segments = publishUrl.pathname.split('/').filter(Boolean).map(decodeURIComponent).slice(0, -1);
  const projectId = segments[1] ?? '';
  const headers = signRequest(
    {
      method: 'GET',
      host: publishUrl.host,
      pathSegments: segments,
      headers: { 'content-type': 'application/json', 'x-project-id': projectId },
    },
    credentials,
  );
  const publishRow = unknown(
    'smn.publish',
    d.id,
    'no read needs smn:topic:publish: publishing is only proven by publishing',
    `Send a test notification: POST /ops/v1/destinations/${d.id}/test.`,
  );
  try {
    const res = await (deps.fetch ?? fetch)(buildSignedUrl(publishUrl.origin, { pathSegments: segments }), {
      headers,
      signal: AbortSignal.timeout(deps.timeoutMs ?? 5000),
    });
    const text = await res.text();
    const requestId = res.headers.get('x-request-id');
    const evidence = `HTTP ${res.status}${requestId ? `, request id ${requestId}` : ''}`;
    if (res.ok) return [ok('smn.topic', d.id, `topic exists (${evidence})`), publishRow];
    const code = /"(?:code|error_code)"\s*:\s*"([A-Za-z0-9._-]{1,40})"/.exec(text)?.[1];
    const named = `${evidence}${code ? ` ${code}` : ''}`;
    if (res.status === 404)
      return [
        problem(
          'smn.topic',
          d.id,
          `topic not found (${named})`,
          'Create the topic, or correct topicUrn (urn:smn:region:project:name).',
        ),
        publishRow,
      ];
    if (res.status === 401 || res.status === 403)
      return [
        unknown(
          'smn.topic',
          d.id,
          `not allowed to read the topic (${named})`,
          'Grant smn:topic:list (smn:topic:get with identity policies) to check the topic, ' +
            'and smn:topic:publish to publish.',
        ),
        publishRow,
      ];
    return [
      problem('smn.topic', d.id, `unexpected answer (${named})`, 'Check the topic URN and the SMN endpoint.'),
      publishRow,
    ];
  } catch (err) {
    return [
      problem(
        'smn.topic',
        d.id,
        `no answer (${err instanceof Error ? err.message : 'failed'})`,
        'Check that SMN is reachable from the function.',
      ),
      publishRow,
    ];
  }
}

/** Rows for every destination: its URL under the policy, and for SMN the topic. */
export async function checkDestinations(config: NotifyConfig, deps: DestinationCheckDeps): Promise<CheckResult[]> {
  const rows = await Promise.all(
    [...config.destinations.values()].map(async (d) => {
      const { row, url } = await checkReachable(d, config, deps);
      if (d.type !== 'smn' || !url) return [row];
      return [row, ...(await checkTopic(d, url, deps))];
    }),
  );
  return rows.flat();
}
