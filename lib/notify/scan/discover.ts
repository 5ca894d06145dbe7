import type { DmsClient, CallOptions } from '../../dms/client';
import { DmsApiError } from '../../dms/errors';
import type { Engine } from '../../dms/types';
import type { ProjectConfig } from '../../config/types';
import type { InstanceTarget } from '../types';

/**
 * The `engine` values of the instance listing per engine, in the order tried: RocketMQ is `reliability`
 * in Huawei's API reference and in its Terraform provider's instance data source (acceptance-tested
 * against the cloud), `rocketmq` in the SDK's enum (evidence/sdk-requests.json). The evidence of
 * running code wins, so `reliability` goes first; a 400 on the first page tries the next name.
 */
export const ENGINE_LISTING_NAMES = {
  kafka: ['kafka'],
  rocketmq: ['reliability', 'rocketmq'],
  rabbitmq: ['rabbitmq'],
} as const satisfies Record<Engine, readonly string[]>;
const FROM_WIRE: Readonly<Record<string, Engine>> = {
  kafka: 'kafka',
  reliability: 'rocketmq',
  rocketmq: 'rocketmq',
  rabbitmq: 'rabbitmq',
};

/** The instances configured for one project (also what is scanned when its discovery fails). */
export function configuredTargets(project: ProjectConfig): InstanceTarget[] {
  const { projectId, region } = project;
  return project.instances.map((i) => ({
    projectId,
    region,
    instanceId: i.id,
    name: i.name,
    engine: i.engine,
    routes: i.routes,
  }));
}

/**
 * The instances of one project to scan: those configured, plus, for each `discover` engine, every
 * instance the listing API returns (paged, de-duplicated, bounded). Configured entries win (name, routes).
 */
export async function instancesOf(
  project: ProjectConfig,
  client: DmsClient,
  call: CallOptions,
): Promise<InstanceTarget[]> {
  const out = new Map<string, InstanceTarget>();
  for (const t of configuredTargets(project)) out.set(t.instanceId, t);
  for (const engine of project.discover) {
    const seen = new Set<string>();
    const names: readonly (typeof ENGINE_LISTING_NAMES)[Engine][number][] = ENGINE_LISTING_NAMES[engine];
    let name = 0;
    for (let page = 0, offset = 0; page < 50; page++) {
      let body: Awaited<ReturnType<DmsClient['listInstances']>>['body'];
      try {
        ({ body } = await client.listInstances({ engine: names[name], offset, limit: 50 }, call));
      } catch (err) {
        // The engine name refused (400) on the first page: the other spelling, once.
        if (page === 0 && err instanceof DmsApiError && err.status === 400 && name + 1 < names.length) {
          name++;
          page--;
          continue;
        }
        throw err;
      }
      const fresh = body.instances.filter((i) => !seen.has(i.instance_id));
      for (const i of fresh) {
        seen.add(i.instance_id);
        if (!out.has(i.instance_id)) {
          out.set(i.instance_id, {
            projectId: project.projectId,
            region: project.region,
            instanceId: i.instance_id,
            name: i.name || i.instance_id,
            engine: FROM_WIRE[i.engine] ?? engine,
            routes: [],
          });
        }
      }
      offset += body.instances.length;
      if (fresh.length === 0 || body.instances.length < 50 || seen.size >= body.instance_num) break;
    }
  }
  return [...out.values()];
}
