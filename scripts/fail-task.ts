/**
 * `npm run fail-task`: makes a task fail in the running local emulator (`npm start`), so the notifier
 * picks it up on its next run and the webhook sink prints the notification. Every task it creates has
 * a new random id, so a second `npm start` never mistakes it for one it has seen. Unknown flags and a
 * flag without its value are refused, and nothing is created then.
 *
 * The emulator URL comes from --url, else EMULATOR_URL, else `.state/npm-start.json` (written by `npm start`).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SEED_IDS } from '../dev/emulator';

const USAGE = `usage: npm run fail-task [-- <options>]   (with npm start running)
  (no option)            a new FAILED task on the seed Kafka instance
  --stuck                a new EXECUTING task created 3 h ago: a "stuck" notice
  --succeed <task_id>    that task finishes with SUCCESS: a stuck one gets a "recovered" notice
  --instance <id>        on another instance (default ${SEED_IDS.kafkaPaged})
  --name <task name>     the task's name (default modifyInstanceSpec; extendDisk with --stuck)
  --url <emulator URL>   default: EMULATOR_URL, else the running npm start's (.state/npm-start.json)
  --help                 this text`;

/** A usage error: one line, then where the help is; exit 2, nothing created. */
class UsageError extends Error {}

interface Options {
  readonly stuck: boolean;
  readonly succeed?: string;
  readonly instance?: string;
  readonly name?: string;
  readonly url?: string;
  readonly help: boolean;
}

/** The command line, strictly: an unknown flag (`--stuk`), a stray word or a flag without its value is an error. */
function parseFailTaskArgs(argv: readonly string[]): Options {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        stuck: { type: 'boolean', default: false },
        succeed: { type: 'string' },
        instance: { type: 'string' },
        name: { type: 'string' },
        url: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    const message = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
    // "--succeed --stuck": parseArgs calls the missing value "ambiguous".
    const ambiguous = /^Option '(--[a-z]+)' argument is ambiguous/.exec(message);
    throw new UsageError(ambiguous ? `${ambiguous[1]} needs a value` : message);
  }
  const str = (k: string): string | undefined => {
    const v = values[k];
    if (typeof v !== 'string') return undefined;
    if (v.trim() === '' || v.startsWith('--')) throw new UsageError(`--${k} needs a value`);
    return v;
  };
  const options: Options = {
    stuck: values.stuck === true,
    help: values.help === true,
    ...(str('succeed') !== undefined && { succeed: str('succeed') }),
    ...(str('instance') !== undefined && { instance: str('instance') }),
    ...(str('name') !== undefined && { name: str('name') }),
    ...(str('url') !== undefined && { url: str('url') }),
  };
  if (
    options.succeed !== undefined &&
    (options.stuck || options.name !== undefined || options.instance !== undefined)
  ) {
    throw new UsageError('--succeed <task_id> finishes an existing task: it takes no --stuck, --name or --instance');
  }
  return options;
}

function emulatorUrl(options: Options): string {
  const url = options.url ?? process.env.EMULATOR_URL;
  if (url) return url.replace(/\/+$/, '');
  try {
    const started: unknown = JSON.parse(readFileSync('.state/npm-start.json', 'utf8'));
    if (
      typeof started === 'object' &&
      started !== null &&
      'emulator' in started &&
      typeof started.emulator === 'string'
    )
      return started.emulator;
  } catch {
    // not running, or an older file
  }
  throw new Error('no emulator URL: is `npm start` running? (or pass --url)');
}

async function post(url: string, body: unknown): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new Error(`the emulator does not answer at ${new URL(url).origin}: is \`npm start\` still running?`);
  }
  const text = await res.text();
  if (!res.ok) throw new Error(`emulator answered ${res.status}: ${text}`);
  return text;
}

async function main(): Promise<void> {
  const options = parseFailTaskArgs(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const url = emulatorUrl(options);
  if (options.succeed !== undefined) {
    await post(`${url}/__emulator/tasks/${encodeURIComponent(options.succeed)}/status`, { status: 'SUCCESS' });
    console.log(
      `task ${options.succeed} is SUCCESS; a task announced as stuck gets a "recovered" notice on the next run.`,
    );
    return;
  }
  const instanceId = options.instance ?? SEED_IDS.kafkaPaged;
  // A fresh id every time: the emulator's own ids repeat from one start to the next.
  const id = randomBytes(16).toString('hex');
  const body = options.stuck
    ? {
        id,
        instanceId,
        name: options.name ?? 'extendDisk',
        status: 'EXECUTING',
        created_at: new Date(Date.now() - 3 * 3600_000).toISOString(),
      }
    : { id, instanceId, name: options.name ?? 'modifyInstanceSpec', status: 'FAILED' };
  const task = JSON.parse(await post(`${url}/__emulator/tasks`, body)) as { id: string; name: string; status: string };
  console.log(
    `task ${task.id} (${task.name}) is ${task.status} on instance ${instanceId}; ` +
      'the notifier sends it on its next run (watch the [sink] lines).',
  );
}

main().catch((e: unknown) => {
  if (e instanceof UsageError) {
    console.error(`fail-task: ${e.message} (npm run fail-task -- --help)`);
    process.exit(2);
  }
  console.error(`fail-task: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
