import { parseInstanceListBody } from './parseBodies';
import { DmsTaskClient, type CallOptions } from './taskClient';
import type { InstanceListBody, UpstreamResult } from './types';

export { DmsTaskClient, type CallOptions, type DmsClientOptions, type RetryInfo } from './taskClient';

/**
 * The DMS client of the notifier: the task API of `DmsTaskClient` plus the instance listing that
 * discovery uses (kept apart so the HTTP functions do not carry it).
 *
 * @example
 * const client = new DmsClient({ projectId, region: 'cn-north-4', credentials: credentialsFromEnv() });
 * const { body } = await client.listTasks({ instanceId, limit: 10 });
 */
export class DmsClient extends DmsTaskClient {
  /**
   * One page of the project's instances: `GET /v2/{project_id}/instances?engine=...` (RocketMQ is
   * `reliability` in the API reference and Huawei's Terraform provider, `rocketmq` in the SDK's enum).
   */
  async listInstances(
    params: { engine?: 'kafka' | 'reliability' | 'rocketmq' | 'rabbitmq'; offset?: number; limit?: number } = {},
    call: CallOptions = {},
  ): Promise<UpstreamResult<InstanceListBody>> {
    return this.request(
      ['v2', this.projectId, 'instances'],
      { engine: params.engine, offset: params.offset, limit: params.limit },
      parseInstanceListBody,
      call,
      'list-instances',
    );
  }
}
