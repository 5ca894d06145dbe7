import { Agent, get } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { DmsClient } from '../lib/dms/client';
import { buildSignedUrl, signRequest } from '../lib/signing';
import { EMULATOR_CREDENTIALS, SEED_IDS, startEmulator } from '../dev/emulator';
import { BENCH_CONTEXT, listHandlerEnv, listHandlerEvent } from './listEvent';
import { measureWarmCalls, type WarmResult, type WarmTarget } from './warmCall';

const PAGE = 10;

interface SdkFixture {
  createClient(endpoint: string, ak: string, sk: string, projectId: string): unknown;
  listOnce(client: unknown, instanceId: string, limit: number): Promise<number>;
}

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

/** Builds the in-process `list` handler target once the emulator's URL is known. */
export type HandlerTargetFactory = (endpoint: string) => WarmTarget;

export function listHandlerTarget(bundlePath: string): HandlerTargetFactory {
  return (endpoint) => {
    Object.assign(process.env, listHandlerEnv(endpoint));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { handler } = require(bundlePath) as { handler: Handler };
    return {
      name: 'list handler',
      call: async () => {
        const res = await handler(listHandlerEvent({ limit: String(PAGE) }), BENCH_CONTEXT);
        if (typeof res !== 'object' || res.statusCode !== 200)
          throw new Error(`list handler answered ${JSON.stringify(res).slice(0, 300)}`);
      },
    };
  };
}

/**
 * One emulator on loopback; our client, the official SDK client (from its bundle) and the `list`
 * handler each list the same page of the same instance, interleaved.
 */
export async function measureWarm(
  sdkBundlePath: string,
  calls: number,
  handlerTarget?: HandlerTargetFactory,
): Promise<WarmResult[]> {
  const emu = await startEmulator();
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdk = require(sdkBundlePath) as SdkFixture;
    const sdkClient = sdk.createClient(
      emu.url,
      EMULATOR_CREDENTIALS.accessKeyId,
      EMULATOR_CREDENTIALS.secretAccessKey,
      SEED_IDS.mainProject,
    );
    const ours = new DmsClient({
      projectId: SEED_IDS.mainProject,
      endpoint: emu.url,
      credentials: EMULATOR_CREDENTIALS,
    });
    const expectPage = (n: number): void => {
      if (n !== PAGE) throw new Error(`expected ${PAGE} tasks, got ${n}`);
    };
    // The floor both clients pay: the same signed request sent with a bare keep-alive `http.get`, body read.
    const req = {
      method: 'GET',
      host: new URL(emu.url).host,
      pathSegments: ['v2', SEED_IDS.mainProject, 'instances', SEED_IDS.kafkaPaged, 'tasks'],
      query: { start: 0, limit: PAGE },
      headers: { 'X-Project-Id': SEED_IDS.mainProject },
    };
    const floorHeaders = signRequest(req, EMULATOR_CREDENTIALS);
    const floorUrl = buildSignedUrl(emu.url, req);
    const agent = new Agent({ keepAlive: true });
    const bare = (): Promise<void> =>
      new Promise((resolve, reject) => {
        get(floorUrl, { headers: floorHeaders, agent }, (res) => {
          res.resume();
          res.on('end', resolve);
        }).on('error', reject);
      });
    const targets: WarmTarget[] = [
      { name: 'bare http floor', call: bare },
      {
        name: 'our client',
        call: async () =>
          expectPage(
            (await ours.listTasks({ instanceId: SEED_IDS.kafkaPaged, offset: 0, limit: PAGE })).body.tasks.length,
          ),
      },
      { name: 'sdk client', call: async () => expectPage(await sdk.listOnce(sdkClient, SEED_IDS.kafkaPaged, PAGE)) },
    ];
    if (handlerTarget) targets.push(handlerTarget(emu.url));
    // The handler writes one JSON log line per request; keep them out of the table (the call still formats them).
    const log = console.log;
    console.log = () => undefined;
    try {
      return await measureWarmCalls(targets, calls);
    } finally {
      console.log = log;
    }
  } finally {
    await emu.close();
  }
}
