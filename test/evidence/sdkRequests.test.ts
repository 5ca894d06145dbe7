import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { Logger4jInstance } from '@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger';
import * as kafka from '@huaweicloud/huaweicloud-sdk-kafka';
import * as rocketmq from '@huaweicloud/huaweicloud-sdk-rocketmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS, type Emulator, type RecordedRequest, startEmulator } from '../../dev/emulator';
import { DmsClient } from '../../lib/dms';
import { ENGINE_LISTING_NAMES, instancesOf } from '../../lib/notify/scan/discover';
import { createCsmsReader } from '../../lib/secrets/csmsReader';
import {
  readCore,
  readEngineEnum,
  readOperation,
  type SdkOperation,
  type SdkRequestsRecord,
} from '../../scripts/evidence/sdkRequests';
import { createHarness, type Harness, MIN } from '../notify/harness';

/*
 * Our requests held to what Huawei's SDK builds: recorded from the SDK source where its package is not on
 * the npm registry (SMN, CSMS, RabbitMQ: evidence/sdk-requests.json, scripts/evidence/record-sdk-requests.ts)
 * and live through the Kafka and RocketMQ SDKs that are, against the emulator, which records each
 * request's content type, X-Project-Id and signed header names.
 */
const RECORD = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'evidence', 'sdk-requests.json'), 'utf8'),
) as SdkRequestsRecord;
const op = (name: SdkOperation) => RECORD.operations[name];
const P = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const CREDS = { accessKeyId: EMULATOR_CREDENTIALS.accessKeyId, secretAccessKey: EMULATOR_CREDENTIALS.secretAccessKey };

/** A path template (`/v2/{project_id}/...`) as a pattern for a sent path. */
const template = (url: string): RegExp =>
  new RegExp(`^${url.replace(/\{[a-z_]+\}/g, '[^/]+').replaceAll('/', '\\/')}$`);

/** The headers the SDK signs for an operation: its content type, host, the project header, the date. */
const sdkSigned = (contentType: boolean): string[] =>
  [...(contentType ? ['content-type'] : []), 'host', RECORD.core.projectHeader.toLowerCase(), 'x-sdk-date'].sort();

/** What our request and the SDK's agree on: method, path shape, content type, project header, signed names. */
function expectAsSdk(r: RecordedRequest | undefined, name: SdkOperation, projectId: string): void {
  const o = op(name);
  expect(r?.method, name).toBe(o.method);
  expect(r?.path, name).toMatch(template(o.url));
  expect(r?.contentType, name).toBe(o.contentType);
  expect(r?.projectIdHeader, name).toBe(projectId);
  expect(r?.signedHeaders, name).toEqual(sdkSigned(true));
  expect(r?.signed, name).toBe(true);
}

describe('evidence/sdk-requests.json (what the SDK builds, from its source)', () => {
  it('was recorded from a commit of huaweicloud-sdk-nodejs-v3, with the facts this project relies on', () => {
    expect(RECORD.source.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(RECORD.core).toEqual({ projectHeader: 'X-Project-Id', jsonContentType: 'application/json' });
    expect([op('smn.publishMessage').method, op('smn.publishMessage').contentType]).toEqual([
      'POST',
      'application/json',
    ]);
    expect(op('csms.showSecretVersion').contentType).toBe('application/json');
    expect(op('rocketmq.listInstances').engineEnum).toEqual(['rocketmq']);
  });

  it('reads a ParamCreater, an engine enum and the core facts, and refuses what it cannot find', () => {
    const client = [
      '        showThing(showThingRequest?: ShowThingRequest) {',
      '            const options = { method: "GET", url: "/v1/{project_id}/things", contentType: "application/json" };',
      "            localVarQueryParameter['limit'] = limit;",
      "            localVarQueryParameter['offset'] = offset;",
      '        },',
    ].join('\n');
    expect(readOperation(`\n${client}`, 'showThing')).toEqual({
      function: 'showThing',
      method: 'GET',
      url: '/v1/{project_id}/things',
      declaredContentType: 'application/json',
      query: ['limit', 'offset'],
    });
    expect(() => readOperation(client, 'other')).toThrow(/no ParamCreater other/);
    expect(readEngineEnum("export enum XEngineEnum {\n    A = 'a',\n    B = 'b'\n}")).toEqual(['a', 'b']);
    expect(
      readCore("getAuthHeaderName() {\n return 'X-Project-Id';", "x.includes('application/json') ? 'application/json'"),
    ).toEqual({ projectHeader: 'X-Project-Id', jsonContentType: 'application/json' });
  });
});

describe('our requests as the SDK sends them', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('SMN publish: X-Project-Id sent and signed, Content-Type application/json (issue 18 item 4)', async () => {
    h = await createHarness({ destinations: [{ type: 'smn', name: 'oncall' }] });
    const inst = h.addInstance('orders');
    await h.run();
    h.advance(MIN);
    h.fail(inst);
    expect(await h.run()).toMatchObject({ sent: 1 });
    const publish = h.emulator.requests.filter((r) => r.path.endsWith('/publish'));
    expect(publish).toHaveLength(1);
    const projectId = publish[0]?.path.split('/')[2] ?? '';
    expectAsSdk(publish[0], 'smn.publishMessage', projectId);
    expect(publish[0]?.path).toContain(`urn:smn:`); // the URN's ':' raw in the path, as the SDK sends it
  });

  describe('against the emulator', () => {
    let emulator: Emulator;
    let level: string;
    beforeAll(async () => {
      emulator = await startEmulator({ lockout: false });
      level = String(Logger4jInstance.level);
      Logger4jInstance.level = 'off';
    });
    afterAll(async () => {
      Logger4jInstance.level = level;
      await emulator?.close();
    });

    it('CSMS ShowSecretVersion: the SDK path, content-type and X-Project-Id signed', async () => {
      await fetch(`${emulator.url}/__emulator/secrets`, {
        method: 'POST',
        body: JSON.stringify({ projectId: P, name: 'dtf-sdk-shape', value: 'v' }),
      });
      emulator.resetRequests();
      const read = createCsmsReader({
        endpoint: emulator.url,
        projectId: P,
        region: 'cn-north-4',
        credentials: () => CREDS,
      });
      expect(await read('dtf-sdk-shape')).toBe('v');
      expectAsSdk(emulator.requests[0], 'csms.showSecretVersion', P);
      expect(emulator.requests[0]?.path).toBe(`/v1/${P}/secrets/dtf-sdk-shape/versions/latest`);
    });

    it("ListInstances: our query names are the SDK's, on the path the live Kafka and RocketMQ SDKs call", async () => {
      const project = emulator.addInstance(P, { name: 'sdk-shape-rmq', engine: 'rocketmq' });
      emulator.resetRequests();
      const client = new DmsClient({ projectId: P, endpoint: emulator.url, credentials: CREDS });
      const found = await instancesOf(
        { projectId: P, region: 'cn-north-4', instances: [], discover: ['kafka', 'rocketmq'] },
        client,
        {},
      );
      expect(found.map((t) => t.instanceId)).toContain(project.instance_id);
      const ours = emulator.requests.filter((r) => r.path === `/v2/${P}/instances`);
      for (const r of ours) {
        const engine = r.query.engine === 'kafka' ? 'kafka.listInstances' : 'rocketmq.listInstances';
        expect(op(engine).query).toEqual(expect.arrayContaining(Object.keys(r.query)));
        expect(r.path).toMatch(template(op(engine).url));
      }
      // The SDKs themselves, live: the same path; each engine value they send is one our discovery tries.
      emulator.resetRequests();
      const sdk = (c: { newBuilder(): { withCredential(x: BasicCredentials): unknown } }) => c;
      const cred = new BasicCredentials().withAk(CREDS.accessKeyId).withSk(CREDS.secretAccessKey).withProjectId(P);
      const k = kafka.KafkaClient.newBuilder().withCredential(cred).withEndpoint(emulator.url).build();
      const r = rocketmq.RocketMQClient.newBuilder().withCredential(cred).withEndpoint(emulator.url).build();
      sdk(kafka.KafkaClient);
      await k.listInstances(new kafka.ListInstancesRequest().withEngine('kafka'));
      await r.listInstances(
        new rocketmq.ListInstancesRequest().withEngine(rocketmq.ListInstancesRequestEngineEnum.ROCKETMQ),
      );
      const live = emulator.requests.filter((x) => x.path === `/v2/${P}/instances`);
      expect(live.map((x) => x.query.engine)).toEqual(['kafka', 'rocketmq']);
      expect(live.every((x) => x.contentType === RECORD.core.jsonContentType && x.signed)).toBe(true);
      expect(ENGINE_LISTING_NAMES.rocketmq).toContain(live[1]?.query.engine);
      expect(ENGINE_LISTING_NAMES.rocketmq).toEqual(
        expect.arrayContaining([...(op('rocketmq.listInstances').engineEnum ?? [])]),
      );
    });
  });
});

describe('RocketMQ instance discovery, robust to either engine name (issue 18 item 11)', () => {
  it.each([
    [['reliability', 'rocketmq'], ['reliability']],
    [['reliability'], ['reliability']],
    [['rocketmq'], ['reliability', 'rocketmq']],
  ] as const)('a server accepting %j: finds the instance, asking %j', async (accepted, asked) => {
    const emulator = await startEmulator({ seed: false, rocketmqEngineNames: accepted });
    try {
      const inst = emulator.addInstance(P, { name: 'rmq', engine: 'rocketmq' });
      const client = new DmsClient({ projectId: P, endpoint: emulator.url, credentials: CREDS });
      const found = await instancesOf(
        { projectId: P, region: 'cn-north-4', instances: [], discover: ['rocketmq'] },
        client,
        {},
      );
      expect(found.map((t) => [t.instanceId, t.engine])).toEqual([[inst.instance_id, 'rocketmq']]);
      expect(emulator.requests.map((r) => r.query.engine)).toEqual([...asked]);
    } finally {
      await emulator.close();
    }
  });
});
