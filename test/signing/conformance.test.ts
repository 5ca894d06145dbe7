/**
 * Our signer against the official SDK's, on generated requests: the Authorization header, the
 * canonical request behind it and the signed headers must be byte-identical.
 *
 * The SDK side goes through the SDK's own request building (HcClient + BasicCredentials), see
 * `support/sdkOracle.ts`. Path segments come from the alphabet on which the SDK agrees with the
 * documented algorithm (`support/arbitraries.ts`); where it does not, `sdkPathQuirks.test.ts`.
 */
import fc from 'fast-check';
// The SDKs' public API re-exports the same classes as their `v2/model/*` and `v2/*Client` modules.
import {
  ListBackgroundTasksRequest as KafkaListRequest,
  ShowBackgroundTaskRequest as KafkaShowRequest,
  ParamCreater as kafkaParams,
} from '@huaweicloud/huaweicloud-sdk-kafka/v2/public-api';
import {
  ListBackgroundTasksRequest as RocketListRequest,
  ShowBackgroundTaskRequest as RocketShowRequest,
  ParamCreater as rocketParams,
} from '@huaweicloud/huaweicloud-sdk-rocketmq/v2/public-api';
import { describe, expect, it } from 'vitest';
import {
  computeSignature,
  encodeRfc3986,
  parseAuthorization,
  signRequest,
  SIGNING,
  type Credentials,
  type RequestToSign,
} from '../../lib/signing';
import * as arb from './support/arbitraries';
import { sdkSign, sdkUrlEncode, type SdkCall, type SdkSigned } from './support/sdkOracle';
import { JSON_CONTENT_TYPE, lowerCaseNames, toOurRequest, toSdkCall } from './support/signingCase';

const SEED = 20_261_123;
const GENERIC_CASES = 1_000;
const DMS_CASES = 250;

/** Signs with our signer and checks everything against what the SDK signed. */
function expectSameAsSdk(ours: RequestToSign, credentials: Credentials, date: Date, sdk: SdkSigned): void {
  const headers = signRequest(ours, credentials, { date });
  const { [SIGNING.authorizationHeader]: authorization, ...signed } = headers;
  const sdkDate = headers[SIGNING.dateHeader] as string;
  const parts = computeSignature(ours, signed, sdkDate, credentials.secretAccessKey);

  expect(parts.canonicalRequest, `canonical request, SDK endpoint ${JSON.stringify(sdk.endpoint)}`).toBe(
    sdk.canonicalRequest,
  );
  expect(authorization).toBe(sdk.authorization);
  const ourParsed = parseAuthorization(authorization as string);
  const sdkParsed = parseAuthorization(sdk.authorization);
  expect(ourParsed).toBeDefined();
  expect(ourParsed?.signedHeaders).toEqual(sdkParsed?.signedHeaders);
  // Same headers sent, same values: nothing signed on one side only.
  expect(lowerCaseNames(headers)).toEqual(sdk.headers);
}

describe('signRequest is byte-identical to the official SDK signer (@huaweicloud/huaweicloud-sdk-core 3.1.211)', () => {
  it(
    `on ${GENERIC_CASES} generated requests ` +
      `(random segments, query maps, tokens, ports, project ids, dates; seed ${SEED})`,
    async () => {
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(arb.signingCase, async (c) => {
          runs += 1;
          const sdk = await sdkSign(toSdkCall(c));
          expectSameAsSdk(toOurRequest(c), c.credentials, c.date, sdk);
        }),
        { seed: SEED, numRuns: GENERIC_CASES },
      );
      expect(runs).toBe(GENERIC_CASES);
    },
  );

  const dmsCase = fc.record(
    {
      engine: fc.constantFrom('kafka', 'rocketmq'),
      operation: fc.constantFrom('list', 'show'),
      host: arb.host,
      projectId: arb.projectId,
      instanceId: fc.oneof(fc.uuid(), arb.pathSegment),
      taskId: fc.oneof(
        fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 }),
        arb.pathSegment,
      ),
      start: fc.nat({ max: 10_000 }),
      limit: fc.integer({ min: 1, max: 50 }),
      beginTime: fc.date({
        min: new Date('2020-01-01T00:00:00Z'),
        max: new Date('2030-01-01T00:00:00Z'),
        noInvalidDate: true,
      }),
      endTime: fc.date({
        min: new Date('2020-01-01T00:00:00Z'),
        max: new Date('2030-01-01T00:00:00Z'),
        noInvalidDate: true,
      }),
      credentials: arb.credentials,
      date: arb.signingDate,
    },
    { requiredKeys: ['engine', 'operation', 'host', 'projectId', 'instanceId', 'taskId', 'credentials', 'date'] },
  );
  /** What the Kafka and RocketMQ `ListBackgroundTasksRequest` classes have in common. */
  interface ListRequestLike {
    withInstanceId(instanceId: string): unknown;
    withStart(start: number): unknown;
    withLimit(limit: number): unknown;
    withBeginTime(beginTime: string): unknown;
    withEndTime(endTime: string): unknown;
  }
  const compact = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);

  it(`on ${DMS_CASES} list/show task requests from the Kafka/RocketMQ SDKs' ParamCreater (seed ${SEED})`, async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(dmsCase, async (c) => {
        runs += 1;
        const query: Record<string, string | number> = {};
        const fillList = <R extends ListRequestLike>(req: R): R => {
          req.withInstanceId(c.instanceId);
          if (c.start !== undefined) {
            query.start = c.start;
            req.withStart(c.start);
          }
          if (c.limit !== undefined) {
            query.limit = c.limit;
            req.withLimit(c.limit);
          }
          if (c.beginTime !== undefined) {
            const begin = compact(c.beginTime);
            query.begin_time = begin;
            req.withBeginTime(begin);
          }
          if (c.endTime !== undefined) {
            const end = compact(c.endTime);
            query.end_time = end;
            req.withEndTime(end);
          }
          return req;
        };
        let options: SdkCall['options'];
        if (c.operation === 'list') {
          options =
            c.engine === 'kafka'
              ? kafkaParams().listBackgroundTasks(fillList(new KafkaListRequest()))
              : rocketParams().listBackgroundTasks(fillList(new RocketListRequest()));
        } else {
          options =
            c.engine === 'kafka'
              ? kafkaParams().showBackgroundTask(
                  new KafkaShowRequest().withInstanceId(c.instanceId).withTaskId(c.taskId),
                )
              : rocketParams().showBackgroundTask(
                  new RocketShowRequest().withInstanceId(c.instanceId).withTaskId(c.taskId),
                );
        }
        const sdk = await sdkSign({
          origin: `https://${c.host}`,
          options,
          credentials: c.credentials,
          projectId: c.projectId,
          date: c.date,
        });
        const ours: RequestToSign = {
          method: 'GET',
          host: c.host,
          pathSegments: [
            'v2',
            c.projectId,
            'instances',
            c.instanceId,
            'tasks',
            ...(c.operation === 'show' ? [c.taskId] : []),
          ],
          query,
          headers: { [SIGNING.projectHeader]: c.projectId, 'Content-Type': JSON_CONTENT_TYPE },
        };
        expectSameAsSdk(ours, c.credentials, c.date, sdk);
      }),
      { seed: SEED, numRuns: DMS_CASES },
    );
    expect(runs).toBe(DMS_CASES);
  });

  it('encodeRfc3986 equals the SDK urlEncode on every Unicode scalar value (U+0000 to U+10FFFF, no surrogates)', () => {
    const CHUNK = 256;
    let checked = 0;
    for (let start = 0; start <= 0x10ffff; start += CHUNK) {
      const codePoints: number[] = [];
      for (let cp = start; cp < Math.min(start + CHUNK, 0x110000); cp++)
        if (cp < 0xd800 || cp > 0xdfff) codePoints.push(cp);
      if (codePoints.length === 0) continue;
      const text = String.fromCodePoint(...codePoints);
      const ours = encodeRfc3986(text);
      if (ours !== sdkUrlEncode(text))
        expect(ours, `code points from U+${start.toString(16)}`).toBe(sdkUrlEncode(text));
      checked += codePoints.length;
    }
    expect(checked).toBe(0x110000 - 0x800);
  });
});
