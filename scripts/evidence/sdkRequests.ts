/**
 * What Huawei's Node SDK builds for the requests this project also sends, read from the SDK source as
 * text (its `ParamCreater` functions, request model enums and core), for the services whose SDK is not
 * on the npm registry (SMN, CSMS, RabbitMQ) and, for comparison, Kafka and RocketMQ's instance listing.
 * Used by record-sdk-requests.ts and its tests. Records facts (names, paths, methods), not code.
 */
import { closing } from './goSchema';

/** The SDK operations recorded: ours -> [client file, ParamCreater function, request model with an engine enum]. */
export const SDK_OPERATIONS = {
  'smn.publishMessage': ['services/smn/v2/SmnClient.ts', 'publishMessage', undefined],
  'csms.showSecretVersion': ['services/csms/v1/CsmsClient.ts', 'showSecretVersion', undefined],
  'kafka.listInstances': [
    'services/kafka/v2/KafkaClient.ts',
    'listInstances',
    'services/kafka/v2/model/ListInstancesRequest.ts',
  ],
  'rocketmq.listInstances': [
    'services/rocketmq/v2/RocketMQClient.ts',
    'listInstances',
    'services/rocketmq/v2/model/ListInstancesRequest.ts',
  ],
  'rabbitmq.listInstances': [
    'services/rabbitmq/v2/RabbitMQClient.ts',
    'listInstancesDetails',
    'services/rabbitmq/v2/model/ListInstancesDetailsRequest.ts',
  ],
  'rabbitmq.listBackgroundTasks': ['services/rabbitmq/v2/RabbitMQClient.ts', 'listBackgroundTasks', undefined],
  'rabbitmq.showBackgroundTask': ['services/rabbitmq/v2/RabbitMQClient.ts', 'showBackgroundTask', undefined],
} as const;
export type SdkOperation = keyof typeof SDK_OPERATIONS;

export interface RecordedOperation {
  readonly file: string;
  readonly function: string;
  readonly method: string;
  /** The path template (`/v2/{project_id}/...`). */
  readonly url: string;
  /** `contentType` as the ParamCreater declares it. */
  readonly declaredContentType: string;
  /** The `content-type` header the core sends for it (core/HcClient.ts turns any JSON type into `application/json`). */
  readonly contentType: string;
  /** Query parameter names, in the order the SDK adds them. */
  readonly query: readonly string[];
  /** Values of the request model's engine enum, where it has one. */
  readonly engineEnum?: readonly string[];
}

export interface SdkRequestsRecord {
  readonly source: {
    readonly repository: 'huaweicloud/huaweicloud-sdk-nodejs-v3';
    readonly commit: string;
    readonly release: string;
    readonly recordedBy: 'scripts/evidence/record-sdk-requests.ts';
  };
  readonly core: {
    /** The header `BasicCredentials` adds to every request before signing (core/auth/BasicCredentials.ts). */
    readonly projectHeader: string;
    /** The `content-type` the core sends for a JSON operation (core/HcClient.ts). */
    readonly jsonContentType: string;
  };
  readonly operations: Record<SdkOperation, RecordedOperation>;
}

/** One ParamCreater function of a client file: method, URL, content type, query names. */
export function readOperation(
  text: string,
  fn: string,
  file = 'client',
): Omit<RecordedOperation, 'file' | 'contentType'> {
  const at = text.search(new RegExp(`\\n\\s+${fn}\\(${fn}Request\\?: [A-Za-z]+\\) \\{`));
  if (at < 0) throw new Error(`${file}: no ParamCreater ${fn}`);
  const open = text.indexOf('{', at + 1);
  const body = text.slice(open, closing(text, open));
  const field = (name: string): string => {
    const m = new RegExp(`${name}:\\s*"([^"]*)"`).exec(body);
    if (!m?.[1]) throw new Error(`${file} ${fn}: no ${name}`);
    return m[1];
  };
  const query = [...body.matchAll(/localVarQueryParameter\['([a-z_]+)'\]\s*=/g)].map((m) => m[1] ?? '');
  return { function: fn, method: field('method'), url: field('url'), declaredContentType: field('contentType'), query };
}

/** The values of the first `export enum ...EngineEnum { A = 'a', ... }` of a model file. */
export function readEngineEnum(text: string, file = 'model'): string[] {
  const m = /export enum [A-Za-z]*EngineEnum \{([^}]*)\}/.exec(text);
  if (!m?.[1]) throw new Error(`${file}: no engine enum`);
  return [...m[1].matchAll(/=\s*'([^']*)'/g)].map((x) => x[1] ?? '');
}

/** The core's facts: the project header of BasicCredentials, the JSON content type HcClient sends. */
export function readCore(basicCredentials: string, hcClient: string): SdkRequestsRecord['core'] {
  const header = /getAuthHeaderName\(\)[^{]*\{\s*return\s+'([^']+)'/.exec(basicCredentials)?.[1];
  if (!header) throw new Error('core/auth/BasicCredentials.ts: no getAuthHeaderName');
  const json = /includes\('application\/json'\)\s*\?\s*'([^']+)'/.exec(hcClient)?.[1];
  if (!json) throw new Error('core/HcClient.ts: no JSON content type');
  return { projectHeader: header, jsonContentType: json };
}

/** The content type the core sends for a declared one. */
export const sentContentType = (declared: string, json: string): string =>
  declared.toLowerCase().includes('application/json') ? json : declared;
