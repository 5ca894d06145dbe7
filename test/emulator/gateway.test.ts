import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials';
import { Logger4jInstance } from '@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger';
import * as kafka from '@huaweicloud/huaweicloud-sdk-kafka';
import { buildSignedUrl, type Credentials } from '../../lib/signing';
import { AUTH_FAILURES, EMULATOR_CREDENTIALS, SEED_IDS, startEmulator, type Emulator } from '../../dev/emulator';
import { asError, asTaskPage, control, NOW, rawRequest, signedGet, tasksPath, type RawResponse } from './helpers';

const { mainProject, otherProject, rabbitmq } = SEED_IDS;
const billing = SEED_IDS.otherRabbitmq;
const LIST = tasksPath(mainProject, rabbitmq);
const OTHER_LIST = tasksPath(otherProject, billing);
const SECOND_AK = { accessKeyId: 'EMULATORAK0000000002', secretAccessKey: 'second-secret' };
const LOCKED_MSG = 'Incorrect IAM authentication information: AK access failed to reach the limit,forbidden';
const MINUTE = 60_000;

/** A clock the tests move by hand. */
let clock = NOW.getTime();
const at = (): Date => new Date(clock);
const get = (credentials: Credentials, path: readonly string[] = LIST, headers: Record<string, string> = {}) =>
  signedGet(emulator, path, { limit: 1 }, { credentials, date: at(), signedHeaders: headers });
const wrong = (c: Credentials): Credentials => ({ ...c, secretAccessKey: 'not-the-secret' });

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ now: at, credentials: [EMULATOR_CREDENTIALS, SECOND_AK] });
});
afterAll(() => emulator.close());

function expectLocked(res: RawResponse): void {
  expect(res.status).toBe(401);
  expect(asError(res.json)).toEqual({
    error_code: 'APIGW.0301',
    error_msg: LOCKED_MSG,
    request_id: res.headers['x-request-id'],
  });
}

function expectNotAuthorized(res: RawResponse, detail: string): void {
  expect(res.status).toBe(403);
  const body = asError(res.json);
  expect(body.error_code).toBe('APIGW.0302');
  expect(body.error_msg).toBe(`The IAM user is not authorized to access the API. ${detail}`);
  expect(body.request_id).toBe(res.headers['x-request-id']);
}

describe('lockout after consecutive signature failures', () => {
  it('locks an AK for 5 minutes after 5 failures in a row, even against a right signature', async () => {
    emulator.clearLockouts();
    for (let i = 0; i < 5; i++) {
      const res = await get(wrong(EMULATOR_CREDENTIALS));
      expect(res.status).toBe(401);
      expect(asError(res.json).error_msg).toContain(AUTH_FAILURES.signatureMismatch);
    }
    expectLocked(await get(EMULATOR_CREDENTIALS));
    expect((await get(SECOND_AK)).status).toBe(200);
    clock += 5 * MINUTE - 1;
    expectLocked(await get(EMULATOR_CREDENTIALS));
    expectLocked(await get(wrong(EMULATOR_CREDENTIALS)));
    clock += 1;
    expect((await get(EMULATOR_CREDENTIALS)).status).toBe(200);
  });

  it('failures while locked neither count nor extend the lock; the count restarts after it', async () => {
    emulator.clearLockouts();
    for (let i = 0; i < 5; i++) await get(wrong(SECOND_AK));
    clock += MINUTE;
    for (let i = 0; i < 10; i++) expectLocked(await get(wrong(SECOND_AK)));
    clock += 4 * MINUTE;
    for (let i = 0; i < 4; i++) expect((await get(wrong(SECOND_AK))).status).toBe(401);
    const fifth = await get(wrong(SECOND_AK));
    expect(asError(fifth.json).error_msg).toContain(AUTH_FAILURES.signatureMismatch);
    expectLocked(await get(SECOND_AK));
  });

  it('a success resets the count', async () => {
    emulator.clearLockouts();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) expect((await get(wrong(EMULATOR_CREDENTIALS))).status).toBe(401);
      expect((await get(EMULATOR_CREDENTIALS)).status).toBe(200);
    }
  });

  it('counts every signature failure that names the AK (an expired date too), not an unknown path', async () => {
    emulator.clearLockouts();
    for (let i = 0; i < 3; i++)
      await signedGet(emulator, LIST, {}, { credentials: EMULATOR_CREDENTIALS, date: new Date(clock - 20 * MINUTE) });
    for (let i = 0; i < 5; i++)
      expect((await rawRequest(`${emulator.url}/v3/unknown`, { Authorization: 'x' })).status).toBe(404);
    await get(wrong(EMULATOR_CREDENTIALS));
    await get(wrong(EMULATOR_CREDENTIALS));
    expectLocked(await get(EMULATOR_CREDENTIALS));
  });

  it('shows locks in the control surface, which can clear them', async () => {
    emulator.clearLockouts();
    for (let i = 0; i < 5; i++) await get(wrong(EMULATOR_CREDENTIALS));
    const state = (await control(emulator, 'GET', '/state')).json as Record<string, unknown>;
    expect(state.lockout).toEqual({ failures: 5, lockMs: 300_000 });
    expect(state.locked).toEqual([
      { accessKeyId: EMULATOR_CREDENTIALS.accessKeyId, until: new Date(clock + 5 * MINUTE).toISOString() },
    ]);
    expect((await control(emulator, 'DELETE', '/lockouts')).status).toBe(204);
    expect((await get(EMULATOR_CREDENTIALS)).status).toBe(200);
  });

  it('is configurable, and off with lockout: false', async () => {
    const strict = await startEmulator({ now: at, lockout: { failures: 2, lockMs: 1000 } });
    const off = await startEmulator({ now: at, lockout: false });
    try {
      const on = (e: Emulator, c: Credentials) => signedGet(e, LIST, {}, { credentials: c, date: at() });
      await on(strict, wrong(EMULATOR_CREDENTIALS));
      await on(strict, wrong(EMULATOR_CREDENTIALS));
      expectLocked(await on(strict, EMULATOR_CREDENTIALS));
      clock += 1000;
      expect((await on(strict, EMULATOR_CREDENTIALS)).status).toBe(200);
      for (let i = 0; i < 12; i++) expect((await on(off, wrong(EMULATOR_CREDENTIALS))).status).toBe(401);
      expect((await on(off, EMULATOR_CREDENTIALS)).status).toBe(200);
      expect((await control(off, 'GET', '/state')).json).toMatchObject({ lockout: null, locked: [] });
    } finally {
      await Promise.all([strict.close(), off.close()]);
    }
    await expect(startEmulator({ lockout: { failures: 0 } })).rejects.toThrow(/lockout.failures/);
  });
});

describe('tenancy: projects an AK belongs to, and X-Project-Id', () => {
  it('by default every AK reaches every project, seeded or added through the control surface', async () => {
    emulator.clearLockouts();
    const added = 'abcdef0123456789abcdef0123456789';
    const instance = (await control(emulator, 'POST', '/instances', { projectId: added, name: 'n', engine: 'kafka' }))
      .json as { instance_id: string };
    for (const path of [LIST, OTHER_LIST, tasksPath(added, instance.instance_id), ['v2', added, 'instances']])
      for (const c of [EMULATOR_CREDENTIALS, SECOND_AK]) {
        const res = await get(c, path, { 'X-Project-Id': path[1] ?? '' });
        expect(res.status, `${c.accessKeyId} ${path.join('/')}: ${res.text}`).toBe(200);
      }
  });

  it('refuses a path project other than X-Project-Id with 403 APIGW.0302', async () => {
    const res = await get(EMULATOR_CREDENTIALS, LIST, { 'X-Project-Id': otherProject });
    expectNotAuthorized(res, `the project in the path (${mainProject}) is not X-Project-Id (${otherProject})`);
    const instances = await get(EMULATOR_CREDENTIALS, ['v2', otherProject, 'instances'], {
      'X-Project-Id': mainProject,
    });
    expect(instances.status).toBe(403);
  });

  it('an AK restricted to a list reaches only those projects', async () => {
    emulator.setAccessKeyProjects(SECOND_AK.accessKeyId, [mainProject]);
    try {
      expect((await get(SECOND_AK, LIST)).status).toBe(200);
      expect((await get(SECOND_AK, LIST, { 'X-Project-Id': mainProject })).status).toBe(200);
      const refused = await get(SECOND_AK, OTHER_LIST);
      expectNotAuthorized(refused, `access key ${SECOND_AK.accessKeyId} does not belong to project ${otherProject}`);
      expect((await get(SECOND_AK, ['v2', otherProject, 'instances'])).status).toBe(403);
      expect((await get(SECOND_AK, tasksPath(otherProject, billing).concat('some-task'))).status).toBe(403);
      expect((await get(EMULATOR_CREDENTIALS, OTHER_LIST)).status).toBe(200);
    } finally {
      emulator.setAccessKeyProjects(SECOND_AK.accessKeyId, undefined);
    }
    expect((await get(SECOND_AK, OTHER_LIST)).status).toBe(200);
  });

  it('the option and the control surface restrict AKs too', async () => {
    const restricted = await startEmulator({
      now: at,
      credentials: [EMULATOR_CREDENTIALS, SECOND_AK],
      accessKeyProjects: { [SECOND_AK.accessKeyId]: [otherProject] },
    });
    try {
      const on = (c: Credentials, path: readonly string[]) =>
        signedGet(restricted, path, {}, { credentials: c, date: at() });
      expect((await on(SECOND_AK, LIST)).status).toBe(403);
      expect((await on(SECOND_AK, OTHER_LIST)).status).toBe(200);
      const set = await control(restricted, 'POST', '/access-key-projects', {
        accessKeyId: EMULATOR_CREDENTIALS.accessKeyId,
        projects: [],
      });
      expect(set.json).toEqual({
        accessKeyProjects: { [SECOND_AK.accessKeyId]: [otherProject], [EMULATOR_CREDENTIALS.accessKeyId]: [] },
      });
      expect((await on(EMULATOR_CREDENTIALS, LIST)).status).toBe(403);
      await control(restricted, 'POST', '/access-key-projects', { accessKeyId: SECOND_AK.accessKeyId, projects: null });
      expect((await on(SECOND_AK, LIST)).status).toBe(200);
      expect((await control(restricted, 'GET', '/state')).json).toMatchObject({
        accessKeyProjects: { [EMULATOR_CREDENTIALS.accessKeyId]: [] },
      });
      const bad = await control(restricted, 'POST', '/access-key-projects', { accessKeyId: 'x', projects: 'all' });
      expect(bad.status).toBe(400);
    } finally {
      await restricted.close();
    }
  });

  it('the official SDK gets the refusal as a ClientRequestException 403 APIGW.0302', async () => {
    // The SDK signs with the real clock: an emulator of its own, on the real clock.
    const real = await startEmulator({
      credentials: [EMULATOR_CREDENTIALS, SECOND_AK],
      accessKeyProjects: { [SECOND_AK.accessKeyId]: [mainProject] },
    });
    const previous = Logger4jInstance.level;
    Logger4jInstance.level = 'off';
    try {
      const sdk = (projectId: string) =>
        kafka.KafkaClient.newBuilder()
          .withCredential(
            new BasicCredentials()
              .withAk(SECOND_AK.accessKeyId)
              .withSk(SECOND_AK.secretAccessKey)
              .withProjectId(projectId),
          )
          .withEndpoint(real.url)
          .build();
      const ok = await sdk(mainProject).listBackgroundTasks(
        new kafka.ListBackgroundTasksRequest().withInstanceId(SEED_IDS.kafkaPaged),
      );
      expect(ok.httpStatusCode).toBe(200);
      await expect(
        sdk(otherProject).listBackgroundTasks(new kafka.ListBackgroundTasksRequest().withInstanceId(billing)),
      ).rejects.toMatchObject({ name: 'ClientRequestException', httpStatusCode: 403, errorCode: 'APIGW.0302' });
    } finally {
      Logger4jInstance.level = previous;
      await real.close();
    }
  });
});

describe('the official SDK meets the gateway', () => {
  it('sees the rate limit as 429 APIGW.0308 and the lock as 401 APIGW.0301, as ClientRequestException', async () => {
    const real = await startEmulator({ rateLimit: { requestsPerSecond: 0.01, burst: 1 } });
    const previous = Logger4jInstance.level;
    Logger4jInstance.level = 'off';
    try {
      const sdk = (sk: string) =>
        kafka.KafkaClient.newBuilder()
          .withCredential(
            new BasicCredentials().withAk(EMULATOR_CREDENTIALS.accessKeyId).withSk(sk).withProjectId(mainProject),
          )
          .withEndpoint(real.url)
          .build();
      const list = (sk: string = EMULATOR_CREDENTIALS.secretAccessKey) =>
        sdk(sk).listBackgroundTasks(new kafka.ListBackgroundTasksRequest().withInstanceId(SEED_IDS.kafkaPaged));
      expect((await list()).httpStatusCode).toBe(200);
      await expect(list()).rejects.toMatchObject({
        name: 'ClientRequestException',
        httpStatusCode: 429,
        errorCode: 'APIGW.0308',
        errorMsg: expect.stringContaining('The throttling threshold has been reached'),
      });
      expect(real.throttled).toBe(1);
      for (let i = 0; i < 5; i++) await expect(list('wrong')).rejects.toMatchObject({ httpStatusCode: 401 });
      await expect(list()).rejects.toMatchObject({
        httpStatusCode: 401,
        errorCode: 'APIGW.0301',
        errorMsg: LOCKED_MSG,
      });
    } finally {
      Logger4jInstance.level = previous;
      await real.close();
    }
  });
});

describe('headers real clients send on a GET', () => {
  it('accepts Content-Type on a GET, signed (as Huawei Terraform and the SDK send it) or not', async () => {
    emulator.clearLockouts();
    const signed = await get(EMULATOR_CREDENTIALS, LIST, { 'Content-Type': 'application/json' });
    expect(signed.status, signed.text).toBe(200);
    const unsigned = await signedGet(
      emulator,
      LIST,
      {},
      { date: at(), tamper: (h) => ({ ...h, 'Content-Type': 'application/json;charset=UTF-8' }) },
    );
    expect(unsigned.status, unsigned.text).toBe(200);
  });

  /** A GET signed by the SDK's own signer (AKSKSigner) with these extra headers, on the real clock. */
  async function sdkSignedGet(target: Emulator, headers: Record<string, string>): Promise<RawResponse> {
    const path = tasksPath(mainProject, rabbitmq);
    const query = { limit: 2 };
    const endpoint = buildSignedUrl(target.url, { pathSegments: path });
    const credential = new BasicCredentials()
      .withAk(EMULATOR_CREDENTIALS.accessKeyId)
      .withSk(EMULATOR_CREDENTIALS.secretAccessKey);
    const sent = AKSKSigner.sign(
      { method: 'GET', endpoint, headers: { 'Content-Type': 'application/json', ...headers }, queryParams: query },
      credential,
    ) as Record<string, string>;
    return rawRequest(buildSignedUrl(target.url, { pathSegments: path, query }), sent);
  }

  it('accepts X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD, signed over the literal as the SDK signer does', async () => {
    const real = await startEmulator();
    try {
      const res = await sdkSignedGet(real, { 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD' });
      expect(res.status, res.text).toBe(200);
      expect(asTaskPage(res.json).tasks).toHaveLength(2);
      // The emptyBodySha256 as the header value is the same hash the body gives: accepted too.
      const empty = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
      expect((await sdkSignedGet(real, { 'X-Sdk-Content-Sha256': empty })).status).toBe(200);
      const other = await sdkSignedGet(real, { 'X-Sdk-Content-Sha256': 'ab'.repeat(32) });
      expect(other.status).toBe(401);
      expect(asError(other.json).error_msg).toContain('x-sdk-content-sha256 is not the sha256 of the body');
    } finally {
      await real.close();
    }
  });

  it('refuses an UNSIGNED-PAYLOAD request whose header was dropped or added after signing', async () => {
    const real = await startEmulator({ lockout: false });
    try {
      const host = new URL(real.url).host;
      const path = tasksPath(mainProject, rabbitmq);
      const endpoint = buildSignedUrl(real.url, { pathSegments: path });
      const credential = new BasicCredentials()
        .withAk(EMULATOR_CREDENTIALS.accessKeyId)
        .withSk(EMULATOR_CREDENTIALS.secretAccessKey);
      const sent = AKSKSigner.sign(
        { method: 'GET', endpoint, headers: { 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD' }, queryParams: {} },
        credential,
      ) as Record<string, string>;
      const { 'X-Sdk-Content-Sha256': _dropped, ...rest } = sent;
      // Dropped: a signed header is missing. Sent unsigned over a normal signature: the hash line differs.
      expect((await rawRequest(endpoint, rest)).status).toBe(401);
      const normal = await signedGet(real, path, {}, { date: new Date() });
      expect(normal.status).toBe(200);
      const plain = AKSKSigner.sign(
        { method: 'GET', endpoint, headers: { host }, queryParams: {} },
        credential,
      ) as Record<string, string>;
      const added = await rawRequest(endpoint, { ...plain, 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD' });
      expect(added.status).toBe(401);
      expect(asError(added.json).error_msg).toContain(AUTH_FAILURES.signatureMismatch);
    } finally {
      await real.close();
    }
  });
});
