/**
 * Fidelity: the official Huawei Cloud Node SDK (core 3.1.211, kafka/rocketmq 3.1.215) against the
 * emulator. What this establishes, and the SDK quirks found on the way:
 *
 * - `.withEndpoint('http://127.0.0.1:PORT')` works: plain http, a port, no region needed. The SDK
 *   signs `host` with the port.
 * - It signs `content-type` (it sends `Content-Type: application/json` even on GET),
 *   `host`, `x-project-id` (from `BasicCredentials.withProjectId`) and `x-sdk-date`, which it takes
 *   from the real clock: the emulator must run on the real clock (the default) or within 15 minutes
 *   of it.
 * - It pages the task list with `start`, never `offset`.
 * - Responses are the parsed JSON objects plus `httpStatusCode`, not instances of the response
 *   classes: the typed getters (`taskCount`, `instanceNum`) are `undefined` at run time; read
 *   `task_count` / `instance_num` instead.
 * - Errors become `ClientRequestException` / `ServerResponseException` with `httpStatusCode`,
 *   `errorCode`, `errorMsg` and `requestId` (from `X-Request-Id`). Before throwing, the SDK logs the
 *   whole failed request with log4js to stdout, Authorization header included; the tests silence
 *   that logger.
 * - With a single endpoint it does not retry anything (429, 5xx, resets); it only fails over on
 *   ECONNRESET/ECONNREFUSED/504 when given a second endpoint.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { Logger4jInstance } from '@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger';
import * as kafka from '@huaweicloud/huaweicloud-sdk-kafka';
import * as rocketmq from '@huaweicloud/huaweicloud-sdk-rocketmq';
import {
  AUTH_FAILURES,
  EMULATOR_CREDENTIALS,
  EMULATOR_DEFAULTS,
  SEED_IDS,
  startEmulator,
  type Emulator,
} from '../../dev/emulator';
import { asError, asTaskPage, rawRequest } from './helpers';

const { mainProject, kafkaPaged, stuckTask } = SEED_IDS;

const credentials = (
  sk: string = EMULATOR_CREDENTIALS.secretAccessKey,
  projectId: string = mainProject,
): BasicCredentials =>
  new BasicCredentials().withAk(EMULATOR_CREDENTIALS.accessKeyId).withSk(sk).withProjectId(projectId);

/** A captured request, as the SDK sent it. */
interface Captured {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** A server that records what it receives and answers with an empty task page. */
async function startRecorder(): Promise<{ url: string; captured: Captured[]; server: Server }> {
  const captured: Captured[] = [];
  const server = createServer((req, res) => {
    captured.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"task_count":"0","tasks":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, captured, server };
}

/** The captured headers as a plain map for replaying (drops the hop-by-hop `connection`). */
const replayable = (headers: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).flatMap(([k, v]) => (typeof v === 'string' && k !== 'connection' ? [[k, v]] : [])),
  );

let emulator: Emulator;
let previousLevel: string;
beforeAll(async () => {
  emulator = await startEmulator();
  previousLevel = String(Logger4jInstance.level);
  Logger4jInstance.level = 'off';
});
afterAll(async () => {
  Logger4jInstance.level = previousLevel;
  await emulator.close();
});

describe('official SDK against the emulator', () => {
  it('KafkaClient lists background tasks (paging with start)', async () => {
    const client = kafka.KafkaClient.newBuilder().withCredential(credentials()).withEndpoint(emulator.url).build();
    emulator.resetRequests();
    const response = await client.listBackgroundTasks(
      new kafka.ListBackgroundTasksRequest().withInstanceId(kafkaPaged).withStart(5).withLimit(3),
    );
    const body = asTaskPage(response);
    expect(body.task_count).toBe('64');
    expect(body.tasks.map((t) => t.id)).toEqual(
      emulator
        .tasks(mainProject, kafkaPaged)
        .slice(5 - EMULATOR_DEFAULTS.offsetBase, 8 - EMULATOR_DEFAULTS.offsetBase)
        .map((t) => t.id),
    );
    expect(response.taskCount).toBeUndefined();
    expect(response.httpStatusCode).toBe(200);
    expect(emulator.requests).toEqual([
      expect.objectContaining({ signed: true, status: 200, query: { start: '5', limit: '3' } }),
    ]);
  });

  it('RocketMQClient shows a background task', async () => {
    const client = rocketmq.RocketMQClient.newBuilder()
      .withCredential(credentials())
      .withEndpoint(emulator.url)
      .build();
    const response = await client.showBackgroundTask(
      new rocketmq.ShowBackgroundTaskRequest().withInstanceId(stuckTask.instanceId).withTaskId(stuckTask.taskId),
    );
    const body = asTaskPage(response);
    expect(body.task_count).toBe('1');
    expect(body.tasks[0]).toMatchObject({ id: stuckTask.taskId, status: 'EXECUTING' });
  });

  it('RocketMQClient lists background tasks with a time window', async () => {
    const client = rocketmq.RocketMQClient.newBuilder()
      .withCredential(credentials())
      .withEndpoint(emulator.url)
      .build();
    const since = new Date(Date.now() - 24 * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const response = await client.listBackgroundTasks(
      new rocketmq.ListBackgroundTasksRequest().withInstanceId(stuckTask.instanceId).withBeginTime(since).withLimit(50),
    );
    expect(
      asTaskPage(response)
        .tasks.map((t) => t.status)
        .sort(),
    ).toEqual(['EXECUTING', 'FAILED', 'SUCCESS']);
  });

  it('KafkaClient and RocketMQClient list instances by engine (the RocketMQ SDK sends engine=rocketmq)', async () => {
    const kafkaClient = kafka.KafkaClient.newBuilder().withCredential(credentials()).withEndpoint(emulator.url).build();
    const kafkaList = await kafkaClient.listInstances(new kafka.ListInstancesRequest().withEngine('kafka'));
    expect(kafkaList.instances?.map((i) => i.name).sort()).toEqual(['kafka-orders', 'kafka-sandbox']);
    expect(kafkaList.instanceNum).toBeUndefined();
    expect((kafkaList as unknown as { instance_num: number }).instance_num).toBe(2);
    const rocketClient = rocketmq.RocketMQClient.newBuilder()
      .withCredential(credentials())
      .withEndpoint(emulator.url)
      .build();
    const rocketList = await rocketClient.listInstances(
      new rocketmq.ListInstancesRequest().withEngine(rocketmq.ListInstancesRequestEngineEnum.ROCKETMQ),
    );
    expect(rocketList.instances?.map((i) => i.name)).toEqual(['rocketmq-payments']);
  });

  it('surfaces the emulator errors as SDK exceptions with status, code and request id', async () => {
    const wrongKey = kafka.KafkaClient.newBuilder()
      .withCredential(credentials('wrong-secret'))
      .withEndpoint(emulator.url)
      .build();
    await expect(
      wrongKey.listBackgroundTasks(new kafka.ListBackgroundTasksRequest().withInstanceId(kafkaPaged)),
    ).rejects.toMatchObject({
      name: 'ClientRequestException',
      httpStatusCode: 401,
      errorCode: 'APIGW.0301',
      errorMsg: expect.stringContaining(AUTH_FAILURES.signatureMismatch),
      requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    const client = kafka.KafkaClient.newBuilder().withCredential(credentials()).withEndpoint(emulator.url).build();
    await expect(
      client.showBackgroundTask(
        new kafka.ShowBackgroundTaskRequest().withInstanceId('00000000-0000-4000-8000-000000000000').withTaskId('x'),
      ),
    ).rejects.toMatchObject({
      httpStatusCode: 404,
      errorCode: 'DMS.00404022',
    });
    emulator.injectFault({ kind: 'status', status: 429, retryAfter: 1, count: 1 });
    emulator.resetRequests();
    await expect(
      client.listBackgroundTasks(new kafka.ListBackgroundTasksRequest().withInstanceId(kafkaPaged)),
    ).rejects.toMatchObject({ httpStatusCode: 429, errorCode: 'APIGW.0308' });
    expect(emulator.requests).toHaveLength(1);
  });

  it('the exact request the SDK signs is accepted on replay, refused with one signature hex char changed', async () => {
    const recorder = await startRecorder();
    try {
      const client = kafka.KafkaClient.newBuilder().withCredential(credentials()).withEndpoint(recorder.url).build();
      await client.listBackgroundTasks(
        new kafka.ListBackgroundTasksRequest()
          .withInstanceId(kafkaPaged)
          .withStart(0)
          .withLimit(2)
          .withBeginTime('20200101000000'),
      );
      const sent = recorder.captured[0];
      if (!sent) throw new Error('the SDK sent nothing');
      expect(sent.headers.authorization).toMatch(
        new RegExp(
          '^SDK-HMAC-SHA256 Access=EMULATORAK0000000000, ' +
            'SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$',
        ),
      );
      expect(sent.url).toBe(
        `/v2/${mainProject}/instances/${kafkaPaged}/tasks?start=0&limit=2&begin_time=20200101000000`,
      );

      const headers = replayable(sent.headers);
      const replayed = await rawRequest(`${emulator.url}${sent.url}`, headers);
      expect(replayed.status, replayed.text).toBe(200);
      expect(asTaskPage(replayed.json).tasks).toHaveLength(2);

      const authorization = headers.authorization ?? '';
      const at = authorization.length - 10;
      const flipped =
        authorization.slice(0, at) + (authorization[at] === 'a' ? 'b' : 'a') + authorization.slice(at + 1);
      expect(flipped).not.toBe(authorization);
      const refused = await rawRequest(`${emulator.url}${sent.url}`, { ...headers, authorization: flipped });
      expect(refused.status).toBe(401);
      expect(asError(refused.json)).toMatchObject({
        error_code: 'APIGW.0301',
        error_msg: expect.stringContaining(AUTH_FAILURES.signatureMismatch),
      });
    } finally {
      await new Promise<void>((resolve) => recorder.server.close(() => resolve()));
      recorder.server.closeAllConnections();
    }
  });
});
