/**
 * The oracle: the official `@huaweicloud/huaweicloud-sdk-core` signer, driven the way the SDK's
 * generated clients drive it, so the comparison covers the SDK's own request building too:
 *
 * - A generated client's `ParamCreater` returns `{method, url: '/v2/{project_id}/...', contentType,
 *   queryParams, pathParams}`; `HcClient.buildRequest` substitutes the service path params
 *   (`instance_id`, `task_id`) RAW into the URL template and turns `contentType` into a signed
 *   `content-type` header.
 * - `BasicCredentials.processAuthRequest` substitutes `{project_id}` with
 *   `encodeURIComponent(projectId)` (pre-encoded, unlike the service params), adds the
 *   `X-Security-Token` and `X-Project-Id` headers, and calls `AKSKSigner.sign` with
 *   `endpoint = origin + url`. The signer `url.parse`s that endpoint and never sees `X-Sdk-Date`
 *   in the headers, so it stamps the current time (through moment, which reads `Date.now`).
 *
 * So `sdkSign` calls the public `HcClient.sendRequest` with an HTTP client that only records the
 * request, pins `Date.now` for the duration of the call, and records the canonical request the
 * signer built. This file is the only place that reaches into the SDK's untyped corners.
 */
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials';
import { HcClient, type HttpRequestOptions } from '@huaweicloud/huaweicloud-sdk-core/HcClient';
import type { DefaultHttpResponse } from '@huaweicloud/huaweicloud-sdk-core/http/DefaultHttpResponse';
import type { HttpClient } from '@huaweicloud/huaweicloud-sdk-core/http/HttpClient';
import type { IHttpRequest } from '@huaweicloud/huaweicloud-sdk-core/http/IHttpRequest';
import type { SdkResponse } from '@huaweicloud/huaweicloud-sdk-core/SdkResponse';
import type { Credentials } from '../../../lib/signing';

/** One call of the SDK: what a generated client's `ParamCreater` returns, plus who and when. */
export interface SdkCall {
  /** `https://host[:port]`, as in the client's endpoint list. */
  readonly origin: string;
  readonly options: HttpRequestOptions;
  readonly credentials: Credentials;
  /** Set on the `BasicCredentials`: fills `{project_id}` and adds `X-Project-Id`. */
  readonly projectId?: string;
  readonly date: Date;
}

export interface SdkSigned {
  /** The headers the SDK would send, names lower-cased (it mixes cases). */
  readonly headers: Readonly<Record<string, string>>;
  readonly authorization: string;
  /** The URL the signer parsed: origin + path with the path params substituted. */
  readonly endpoint: string;
  /** The canonical request exactly as `AKSKSigner` built it. */
  readonly canonicalRequest: string;
}

type CanonicalRequestBuilder = (...parts: (string | undefined)[]) => string;
/** `buildCanonicalRequest` and `urlEncode` are protected statics; this is the one cast that reaches them. */
const signerStatics = AKSKSigner as unknown as {
  buildCanonicalRequest: CanonicalRequestBuilder;
  urlEncode(value: string): string;
};

/** The SDK's own percent-encoder, which it applies to path segments, query keys and query values. */
export function sdkUrlEncode(value: string): string {
  return signerStatics.urlEncode(value);
}

/** An `HttpClient` that sends nothing: it keeps the signed request and answers 200 `{}`. */
class RecordingHttpClient implements HttpClient {
  sent: IHttpRequest | undefined;
  async sendRequest<T extends SdkResponse>(httpRequest: IHttpRequest): Promise<DefaultHttpResponse<T>> {
    this.sent = httpRequest;
    return { statusCode: 200, headers: {}, data: {} as T };
  }
}

let busy = false;

export async function sdkSign(call: SdkCall): Promise<SdkSigned> {
  // Date.now and the static are process-wide: refuse overlapping calls rather than mix them up.
  if (busy) throw new Error('sdkSign calls must not overlap');
  busy = true;
  const realNow = Date.now;
  const realBuild = signerStatics.buildCanonicalRequest;
  const canonicalRequests: string[] = [];
  try {
    Date.now = () => call.date.getTime();
    signerStatics.buildCanonicalRequest = function (this: unknown, ...parts) {
      const built = realBuild.apply(this, parts);
      canonicalRequests.push(built);
      return built;
    };
    const credential = new BasicCredentials()
      .withAk(call.credentials.accessKeyId)
      .withSk(call.credentials.secretAccessKey);
    if (call.credentials.securityToken !== undefined) credential.withSecurityToken(call.credentials.securityToken);
    if (call.projectId !== undefined) credential.withProjectId(call.projectId);
    const http = new RecordingHttpClient();
    const client = new HcClient(http).withEndpoints([call.origin]).withCredential(credential);
    // buildRequest mutates options.headers: give it copies.
    await client.sendRequest({
      ...call.options,
      headers: { ...call.options.headers },
      queryParams: { ...call.options.queryParams },
      pathParams: { ...call.options.pathParams },
    });
    const sent = http.sent;
    if (!sent || canonicalRequests.length !== 1) throw new Error('the SDK did not sign exactly one request');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(sent.headers as Record<string, unknown>))
      headers[name.toLowerCase()] = String(value);
    const authorization = headers.authorization;
    if (authorization === undefined) throw new Error('the SDK sent no Authorization header');
    return {
      headers,
      authorization,
      endpoint: String(sent.endpoint),
      canonicalRequest: canonicalRequests[0] as string,
    };
  } finally {
    Date.now = realNow;
    signerStatics.buildCanonicalRequest = realBuild;
    busy = false;
  }
}

/** Line 2 of a canonical request: the canonical URI. */
export function canonicalUriOf(canonicalRequest: string): string {
  return canonicalRequest.split('\n')[1] ?? '';
}
