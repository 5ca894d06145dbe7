/**
 * Records Huawei's SDK region tables (Kafka, RocketMQ, RabbitMQ, SMN, CSMS, KMS) from a checkout of
 * `huaweicloud/huaweicloud-sdk-nodejs-v3`, without network:
 *
 *   node --import tsx scripts/evidence/record-sdk-regions.ts <sdk-checkout-or-git-dir>
 *
 * Writes `evidence/sdk-regions.json` (region -> endpoint per table, with the SDK commit and release)
 * and `lib/core/sdkRegions.generated.ts` (what the endpoint builders import). A bare git directory
 * (such as a mirror without a work tree) is read at its HEAD.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  parseRegionTable,
  renderGenerated,
  SDK_REGION_FILES,
  SDK_TABLES,
  type SdkRegionsRecord,
} from './sdkRegionTables';

const ROOT = resolve(__dirname, '..', '..');
export const SDK_REGIONS_JSON = join(ROOT, 'evidence', 'sdk-regions.json');
export const SDK_REGIONS_TS = join(ROOT, 'lib', 'core', 'sdkRegions.generated.ts');

function reader(checkout: string): (file: string) => string {
  if (existsSync(join(checkout, 'services'))) return (file) => readFileSync(join(checkout, file), 'utf8');
  return (file) => execFileSync('git', ['--git-dir', checkout, 'show', `HEAD:${file}`], { encoding: 'utf8' });
}

function main(): void {
  const checkout = process.argv[2];
  if (!checkout) throw new Error('usage: record-sdk-regions.ts <path to a huaweicloud-sdk-nodejs-v3 checkout>');
  const read = reader(checkout);
  const gitDir = existsSync(join(checkout, '.git')) ? join(checkout, '.git') : checkout;
  const commit = execFileSync('git', ['--git-dir', gitDir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  const tables = Object.fromEntries(
    SDK_TABLES.map((t) => [
      t,
      { file: SDK_REGION_FILES[t], endpoints: parseRegionTable(read(SDK_REGION_FILES[t]), SDK_REGION_FILES[t]) },
    ]),
  ) as SdkRegionsRecord['tables'];
  const record: SdkRegionsRecord = {
    source: {
      repository: 'huaweicloud/huaweicloud-sdk-nodejs-v3',
      commit,
      release: read('VERSION').trim(),
      recordedBy: 'scripts/evidence/record-sdk-regions.ts',
    },
    tables,
  };
  writeFileSync(SDK_REGIONS_JSON, `${JSON.stringify(record, null, 2)}\n`);
  writeFileSync(SDK_REGIONS_TS, renderGenerated(record));
  // The project's formatter, so `biome check` passes on the generated module (local binary, no network).
  execFileSync(join(ROOT, 'node_modules', '.bin', 'biome'), ['format', '--write', SDK_REGIONS_TS, SDK_REGIONS_JSON]);
  const counts = SDK_TABLES.map((t) => `${t} ${Object.keys(tables[t].endpoints).length}`).join(', ');
  console.log(`SDK ${record.source.release} @ ${commit}: ${counts}`);
}

if (require.main === module) main();
