/**
 * Records what Huawei's Node SDK builds for SMN publish, CSMS ShowSecretVersion, the instance listings
 * and RabbitMQ's task calls, from a checkout (or bare git directory) of
 * `huaweicloud/huaweicloud-sdk-nodejs-v3`, without network:
 *
 *   node --import tsx scripts/evidence/record-sdk-requests.ts <sdk-checkout-or-git-dir>
 *
 * Writes `evidence/sdk-requests.json` with the SDK commit and release.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  readCore,
  readEngineEnum,
  readOperation,
  type RecordedOperation,
  SDK_OPERATIONS,
  type SdkOperation,
  type SdkRequestsRecord,
  sentContentType,
} from './sdkRequests';

const ROOT = resolve(__dirname, '..', '..');
export const SDK_REQUESTS_JSON = join(ROOT, 'evidence', 'sdk-requests.json');

function main(): void {
  const checkout = process.argv[2];
  if (!checkout) throw new Error('usage: record-sdk-requests.ts <path to a huaweicloud-sdk-nodejs-v3 checkout>');
  const gitDir = existsSync(join(checkout, '.git')) ? join(checkout, '.git') : checkout;
  const read = existsSync(join(checkout, 'services'))
    ? (file: string) => readFileSync(join(checkout, file), 'utf8')
    : (file: string) => execFileSync('git', ['--git-dir', gitDir, 'show', `HEAD:${file}`], { encoding: 'utf8' });
  const core = readCore(read('core/auth/BasicCredentials.ts'), read('core/HcClient.ts'));
  const operations = Object.fromEntries(
    (Object.keys(SDK_OPERATIONS) as SdkOperation[]).map((name) => {
      const [file, fn, model] = SDK_OPERATIONS[name];
      const op = readOperation(read(file), fn, file);
      const recorded: RecordedOperation = {
        file,
        ...op,
        contentType: sentContentType(op.declaredContentType, core.jsonContentType),
        ...(model ? { engineEnum: readEngineEnum(read(model), model) } : {}),
      };
      return [name, recorded];
    }),
  ) as SdkRequestsRecord['operations'];
  const record: SdkRequestsRecord = {
    source: {
      repository: 'huaweicloud/huaweicloud-sdk-nodejs-v3',
      commit: execFileSync('git', ['--git-dir', gitDir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim(),
      release: read('VERSION').trim(),
      recordedBy: 'scripts/evidence/record-sdk-requests.ts',
    },
    core,
    operations,
  };
  writeFileSync(SDK_REQUESTS_JSON, `${JSON.stringify(record, null, 2)}\n`);
  execFileSync(join(ROOT, 'node_modules', '.bin', 'biome'), ['format', '--write', SDK_REQUESTS_JSON]);
  console.log(`SDK ${record.source.release} @ ${record.source.commit}: ${Object.keys(operations).length} operations`);
}

if (require.main === module) main();
