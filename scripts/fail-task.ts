/**
 * Makes a task fail in the running local emulator (`npm start`), so the notifier picks it up on its
 * next run and the webhook sink prints the notification.
 *
 *   node --import tsx scripts/fail-task.ts                       # a new FAILED task on the seed Kafka instance
 *   node --import tsx scripts/fail-task.ts --instance <id> --name restartInstance
 *   node --import tsx scripts/fail-task.ts --stuck               # an EXECUTING task created 3 h ago (a "stuck" notice)
 *   node --import tsx scripts/fail-task.ts --succeed <task_id>   # it finishes with SUCCESS: "recovered"
 *   node --import tsx scripts/fail-task.ts --url http://127.0.0.1:4510
 *
 * The emulator URL comes from --url, else EMULATOR_URL, else `.state/npm-start.json` (written by `npm start`).
 */
import { readFileSync } from 'node:fs';
import { SEED_IDS } from '../dev/emulator';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  let url = arg('url') ?? process.env.EMULATOR_URL;
  if (!url) {
    try {
      url = (JSON.parse(readFileSync('.state/npm-start.json', 'utf8')) as { emulator: string }).emulator;
    } catch {
      throw new Error('no emulator URL: is `npm start` running? (or pass --url)');
    }
  }
  const instanceId = arg('instance') ?? SEED_IDS.kafkaPaged;
  const succeed = arg('succeed');
  if (succeed) {
    const res = await fetch(`${url}/__emulator/tasks/${encodeURIComponent(succeed)}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'SUCCESS' }),
    });
    if (!res.ok) throw new Error(`emulator answered ${res.status}: ${await res.text()}`);
    console.log(`task ${succeed} is SUCCESS; a task announced as stuck gets a "recovered" notice on the next run.`);
    return;
  }
  const stuck = process.argv.includes('--stuck');
  const body = stuck
    ? {
        instanceId,
        name: arg('name') ?? 'extendDisk',
        status: 'EXECUTING',
        created_at: new Date(Date.now() - 3 * 3600_000).toISOString(),
      }
    : { instanceId, name: arg('name') ?? 'modifyInstanceSpec', status: 'FAILED' };
  const res = await fetch(`${url}/__emulator/tasks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`emulator answered ${res.status}: ${text}`);
  const task = JSON.parse(text) as { id: string; name: string; status: string };
  console.log(
    `task ${task.id} (${task.name}) is ${task.status} on instance ${instanceId}; ` +
      'the notifier sends it on its next run (watch the [sink] lines).',
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
