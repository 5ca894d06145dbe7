import type { ProjectConfig } from '../../config/types';
import { type CheckResult, ok, problem } from '../../core/checkResult';
import type { DmsClient } from '../../dms/client';
import { DmsApiError } from '../../dms/errors';

/** The `engine` values the instance listing takes. */
type ListingEngine = NonNullable<Parameters<DmsClient['listInstances']>[0]>['engine'] & string;
import { ENGINE_LISTING_NAMES } from '../../notify/scan/discover';
import { describeUpstream, statusOf } from './describeUpstream';

/** An instance seen by the check, with how many tasks upstream says it has (for the paging probe). */
export interface SeenInstance {
  readonly instanceId: string;
  readonly taskCount: number;
}

export interface ProjectCheck {
  readonly results: CheckResult[];
  /** Instances that answered, with their `task_count`. */
  readonly instances: SeenInstance[];
}

const CREDENTIALS_FIX =
  'Check the access key pair (or the agency) the function uses and grant it dms:instance:getBackgroundTask in this ' +
  'project.';

/** One instance of the listing, asking each name in turn while upstream answers 400 to the previous one. */
async function listFirst(client: DmsClient, names: readonly ListingEngine[]) {
  let last: unknown;
  for (const engine of names) {
    try {
      return await client.listInstances({ engine, limit: 1 });
    } catch (err) {
      if (!(err instanceof DmsApiError && err.status === 400)) throw err;
      last = err;
    }
  }
  throw last;
}

/**
 * Per project: the DMS endpoint answers and accepts the credentials (the first watched instance's
 * task list, one task long), instance listing is allowed for each `discover` engine, and each watched
 * instance exists. Calls are sequential and one page long: a self-check costs a few requests.
 */
export async function checkProject(project: ProjectConfig, client: DmsClient): Promise<ProjectCheck> {
  const results: CheckResult[] = [];
  const instances: SeenInstance[] = [];
  const subject = project.projectId;
  let credentialsJudged = false;
  for (const instance of project.instances) {
    const at = `${subject}/${instance.id}`;
    try {
      const { body, requestId } = await client.listTasks({ instanceId: instance.id, limit: 2 });
      // `task_count` may be the page's length: the tasks on a two-task page tell the probe enough too.
      const counted = Number(body.task_count);
      const taskCount = Math.max(Number.isFinite(counted) ? counted : 0, body.tasks.length);
      instances.push({ instanceId: instance.id, taskCount });
      if (!credentialsJudged) {
        results.push(ok('dms.credentials', subject, `HTTP 200${requestId ? `, request id ${requestId}` : ''}`));
        credentialsJudged = true;
      }
      results.push(ok('dms.instance', at, `exists, task_count ${body.task_count}`));
    } catch (err) {
      const status = statusOf(err);
      if (status === 401 || status === 403) {
        results.push(problem('dms.credentials', subject, describeUpstream(err), CREDENTIALS_FIX));
        return { results, instances };
      }
      if (status === 404 || status === 400) {
        results.push(
          problem(
            'dms.instance',
            at,
            describeUpstream(err),
            'Check the instance id and the project it belongs to (the DMS console shows both), or remove it from ' +
              'the configuration.',
          ),
        );
        continue;
      }
      results.push(
        problem(
          'dms.endpoint',
          subject,
          describeUpstream(err),
          'Check the region (or the endpoint override) and that the function can reach it (on FunctionGraph: a VPC ' +
            'with a NAT gateway).',
        ),
      );
      return { results, instances };
    }
  }
  for (const engine of project.discover) {
    try {
      // The notifier's own order of names (RocketMQ: `reliability`, then `rocketmq` on a 400).
      const { body, requestId } = await listFirst(client, ENGINE_LISTING_NAMES[engine]);
      results.push(
        ok(
          'dms.discover',
          `${subject}/${engine}`,
          `listing allowed, ${body.instance_num} instances${requestId ? `, request id ${requestId}` : ''}`,
        ),
      );
    } catch (err) {
      const status = statusOf(err);
      results.push(
        problem(
          'dms.discover',
          `${subject}/${engine}`,
          describeUpstream(err),
          status === 401 || status === 403
            ? 'Grant the function dms:instance:list in this project, or list the instances under ' +
                'projects.*.instances instead of discover.'
            : 'Check the region and the engine name; the listing must answer for discovery to work.',
        ),
      );
    }
  }
  return { results, instances };
}
