import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SDK_REGIONS_SOURCE } from '../../lib/core/sdkRegions.generated';
import { csmsEndpointForRegion } from '../../lib/config/secretSettings';
import {
  DMS_REGIONS,
  DmsClient,
  endpointForRegion,
  isKnownRegion,
  REGIONS_BY_ENGINE,
  UnknownRegionError,
} from '../../lib/dms';
import type { Send } from '../../lib/dms/transport';
import { API_ENDPOINTS } from '../../lib/notify/constants';
import {
  defaultEndpoint,
  endpointExceptions,
  parseRegionTable,
  renderGenerated,
  SDK_REGION_FILES,
  SDK_TABLES,
  type SdkRegionsRecord,
} from '../../scripts/evidence/sdkRegionTables';

/** What scripts/evidence/record-sdk-regions.ts recorded from Huawei's SDK source (the witness). */
const RECORD = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'evidence', 'sdk-regions.json'), 'utf8'),
) as SdkRegionsRecord;
const regionsOf = (t: keyof SdkRegionsRecord['tables']): string[] => Object.keys(RECORD.tables[t].endpoints);
const ENGINES = ['kafka', 'rocketmq', 'rabbitmq'] as const;

describe("endpoints, held to Huawei's SDK region tables (evidence/sdk-regions.json)", () => {
  it('records a commit and release of huaweicloud-sdk-nodejs-v3, and the generated module is from that record', () => {
    expect(RECORD.source.repository).toBe('huaweicloud/huaweicloud-sdk-nodejs-v3');
    expect(RECORD.source.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(SDK_REGIONS_SOURCE).toEqual({ commit: RECORD.source.commit, release: RECORD.source.release });
    for (const t of SDK_TABLES) expect(RECORD.tables[t].file).toBe(SDK_REGION_FILES[t]);
  });

  it.each(ENGINES)('serves %s in exactly the regions its SDK table lists, at the recorded host', (engine) => {
    expect([...REGIONS_BY_ENGINE[engine]]).toEqual(regionsOf(engine));
    for (const [region, host] of Object.entries(RECORD.tables[engine].endpoints)) {
      expect(endpointForRegion(region, engine), `${engine} ${region}`).toBe(host);
      expect(isKnownRegion(region, engine)).toBe(true);
    }
    for (const region of DMS_REGIONS.filter((r) => !regionsOf(engine).includes(r))) {
      expect(() => endpointForRegion(region, engine)).toThrow(UnknownRegionError);
    }
  });

  it('serves RabbitMQ in the eight regions an older copy refused (SDK 3.1.209 RabbitMQRegion.ts)', () => {
    const eight = ['cn-east-4', 'af-north-1', 'ap-southeast-5', 'ru-moscow-1', 'cn-south-4', 'cn-north-11'];
    for (const r of [...eight, 'cn-north-12', 'cn-southwest-3']) {
      expect(endpointForRegion(r, 'rabbitmq')).toBe(`https://dms.${r}.myhuaweicloud.com`);
    }
  });

  it('builds the SMN host of every region SmnRegion.ts lists (.cn in cn-north-2, .eu in eu-west-101)', () => {
    for (const [region, host] of Object.entries(RECORD.tables.smn.endpoints)) {
      expect(API_ENDPOINTS.smn(region), region).toBe(host);
    }
    expect(API_ENDPOINTS.smn('cn-north-2')).toBe('https://smn.cn-north-2.myhuaweicloud.cn');
    expect(API_ENDPOINTS.smn('eu-west-101')).toBe('https://smn.eu-west-101.myhuaweicloud.eu');
  });

  it('builds the CSMS host of every region CsmsRegion.ts and KmsRegion.ts list (.eu in eu-west-101)', () => {
    for (const t of ['csms', 'kms'] as const) {
      for (const [region, host] of Object.entries(RECORD.tables[t].endpoints)) {
        expect(csmsEndpointForRegion(region), `${t} ${region}`).toBe(host);
      }
    }
    expect(csmsEndpointForRegion('eu-west-101')).toBe('https://kms.eu-west-101.myhuaweicloud.eu');
  });

  it('regenerates lib/core/sdkRegions.generated.ts byte for byte from the record (run the script, do not edit)', () => {
    const file = readFileSync(join(__dirname, '..', '..', 'lib', 'core', 'sdkRegions.generated.ts'), 'utf8');
    expect(file).toBe(renderGenerated(RECORD));
  });

  it('refuses an unknown region before any request', () => {
    expect(() => endpointForRegion('us-east-1')).toThrow(UnknownRegionError);
    expect(() => endpointForRegion('mars-1', 'rabbitmq')).toThrow(/mars-1" for rabbitmq/);
    let called = 0;
    const sendSpy: Send = async () => {
      called++;
      return { status: 200, headers: {}, body: Buffer.from('{}') };
    };
    expect(
      () =>
        new DmsClient({
          projectId: 'p',
          region: 'mars-1',
          credentials: { accessKeyId: 'a', secretAccessKey: 's' },
          send: sendSpy,
        }),
    ).toThrow(UnknownRegionError);
    expect(called).toBe(0);
  });
});

describe('reading an SDK region table (scripts/evidence/sdkRegionTables.ts)', () => {
  const table = [
    'export class XRegion {',
    '    public static B = new Region("cn-north-2", ["https://smn.cn-north-2.myhuaweicloud.cn"]);',
    '    public static A = new Region("af-south-1", ["https://smn.af-south-1.myhuaweicloud.com", "https://x"]);',
    '}',
  ].join('\n');

  it('takes each region and its first endpoint, sorted', () => {
    expect(parseRegionTable(table)).toEqual({
      'af-south-1': 'https://smn.af-south-1.myhuaweicloud.com',
      'cn-north-2': 'https://smn.cn-north-2.myhuaweicloud.cn',
    });
  });

  it('refuses a file with no table, a region twice, or an endpoint that is not a bare https origin', () => {
    expect(() => parseRegionTable('export class X {}', 'X.ts')).toThrow(/X\.ts: no/);
    expect(() => parseRegionTable(`${table}\n${table}`)).toThrow(/twice/);
    expect(() => parseRegionTable('new Region("a-1", ["http://a/b"])')).toThrow(/unexpected endpoint/);
  });

  it('keeps only the endpoints that differ from the default host, and refuses two tables that disagree', () => {
    expect(endpointExceptions(RECORD)).toMatchObject({ 'smn.cn-north-2': 'https://smn.cn-north-2.myhuaweicloud.cn' });
    for (const [key, host] of Object.entries(endpointExceptions(RECORD))) {
      const [prefix = '', ...rest] = key.split('.');
      expect(host).not.toBe(defaultEndpoint(prefix, rest.join('.')));
    }
    const kafka = { ...RECORD.tables.kafka, endpoints: { 'eu-west-101': 'https://dms.eu-west-101.myhuaweicloud.com' } };
    expect(() => endpointExceptions({ ...RECORD, tables: { ...RECORD.tables, kafka } })).toThrow(/disagree/);
  });
});
