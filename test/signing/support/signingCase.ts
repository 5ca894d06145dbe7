/**
 * One request, described once and turned into both an SDK call (for the oracle) and a
 * `RequestToSign` (for our signer), so the two sides cannot drift apart in a test.
 */
import type { HttpRequestOptions } from '@huaweicloud/huaweicloud-sdk-core/HcClient';
import { SIGNING, type Credentials, type RequestToSign } from '../../../lib/signing';
import type { SdkCall } from './sdkOracle';

/** Marks the path segment the SDK fills from the credentials' project id. */
export const PROJECT_SEGMENT = '{project_id}';

/** The content type every generated DMS client declares, even for GET. */
export const JSON_CONTENT_TYPE = 'application/json';

export interface SigningCase {
  /** `host` or `host:port`. */
  readonly host: string;
  /** Raw path segments; `PROJECT_SEGMENT` stands for `projectId`. */
  readonly path: readonly string[];
  /** The project id: in the path where `PROJECT_SEGMENT` is, and sent as `X-Project-Id`. */
  readonly projectId?: string;
  readonly query: Readonly<Record<string, string | number>>;
  /** Set as the generated clients set it; signed as `content-type`. */
  readonly contentType?: typeof JSON_CONTENT_TYPE;
  readonly credentials: Credentials;
  readonly date: Date;
}

const LITERAL_SEGMENT = /^[A-Za-z0-9._~-]+$/;

/**
 * The SDK call for a case, shaped like a generated client's: a segment of unreserved characters
 * only is literal text of the URL template (as `v2`, `instances` and `tasks` are), any other is a
 * service path param (`{p0}`, `{p1}`, ...), which `HcClient` substitutes raw, as it does
 * `instance_id` and `task_id`; the project id is left to the credentials.
 */
export function toSdkCall(c: SigningCase): SdkCall {
  const pathParams: Record<string, string> = {};
  const template = c.path.map((segment, i) => {
    if (segment === PROJECT_SEGMENT || LITERAL_SEGMENT.test(segment)) return segment;
    pathParams[`p${i}`] = segment;
    return `{p${i}}`;
  });
  const options: HttpRequestOptions = {
    method: 'GET',
    url: `/${template.join('/')}`,
    contentType: c.contentType ?? '',
    queryParams: { ...c.query },
    pathParams,
    headers: {},
  };
  return {
    origin: `https://${c.host}`,
    options,
    credentials: c.credentials,
    ...(c.projectId === undefined ? {} : { projectId: c.projectId }),
    date: c.date,
  };
}

export function toOurRequest(c: SigningCase): RequestToSign {
  if (c.path.includes(PROJECT_SEGMENT) && c.projectId === undefined)
    throw new Error('a {project_id} segment needs a projectId');
  const headers: Record<string, string> = {};
  if (c.projectId !== undefined) headers[SIGNING.projectHeader] = c.projectId;
  if (c.contentType !== undefined) headers['Content-Type'] = c.contentType;
  return {
    method: 'GET',
    host: c.host,
    pathSegments: c.path.map((segment) => (segment === PROJECT_SEGMENT ? (c.projectId as string) : segment)),
    query: { ...c.query },
    headers,
  };
}

/** Header names lower-cased, for comparing header sets that differ only in the case of names. */
export function lowerCaseNames(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
