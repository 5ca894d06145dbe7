/**
 * The self-check from a workstation, with the credentials the configuration file references:
 *
 *   npm run doctor -- --config deploy/config.json          # a table; exit 1 when a check found a problem
 *   npm run doctor -- --config deploy/config.json --json   # the same rows as JSON
 *
 * The same checks answer `GET /ops/v1/doctor` in a deployment (with the deployment's own credentials).
 * Nothing is published and no secret value is printed: a secret is named by its reference only.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { doctorInputFrom } from '../lib/ops/doctor/doctorInputFrom';
import { renderDoctorText } from '../lib/ops/doctor/renderDoctor';
import { runDoctor } from '../lib/ops/doctor/runDoctor';
import { resolveConfigDocument } from '../lib/runtime/resolveConfigDocument';

const USAGE = 'usage: npm run doctor -- --config <file> [--json]';

async function main(): Promise<number> {
  let values: { config?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { config: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
      strict: true,
    }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : 'bad arguments'}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.config) {
    console.error(`--config is required\n${USAGE}`);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(values.config, 'utf8');
  } catch (err) {
    console.error(
      `cannot read ${values.config}: ${err instanceof Error && 'code' in err ? String(err.code) : 'failed'}`,
    );
    return 2;
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    console.error(`${values.config} is not valid JSON (comments and placeholders are not allowed; see examples/)`);
    return 2;
  }
  document = await resolveConfigDocument(document, undefined, { env: process.env });
  const report = await runDoctor(await doctorInputFrom(document, { env: process.env }));
  console.log(values.json ? JSON.stringify(report, null, 2) : renderDoctorText(report));
  return report.counts.problem > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`doctor: ${err instanceof Error ? err.message : 'failed'}`);
    process.exitCode = 2;
  },
);
