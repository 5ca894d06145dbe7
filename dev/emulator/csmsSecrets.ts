import type { EmulatorState } from './state';
import { EmulatorInputError } from './types';

/** One version of an emulated CSMS secret. */
export interface CsmsSecretVersion {
  readonly id: string;
  readonly secretString: string;
  /** Epoch ms. */
  readonly createTime: number;
}

/** A response before it is written (the shape of `ApiResponse` in `api.ts`). */
interface CsmsResponse {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Our choices (Huawei's codes for these cases were not checked): a secret or version the project
 * does not have is 404 `CSMS.0404`; a malformed project id is 400 `CSMS.0400`.
 */
export const CSMS_ERRORS = {
  notFound: { status: 404, code: 'CSMS.0404', msg: 'The secret or its version does not exist.' },
  badProject: { status: 400, code: 'CSMS.0400', msg: 'Invalid project id.' },
  /**
   * A read the caller may not make (IAM: the agency lacks `csms:secretVersion:get`). The status is
   * IAM's; the code and message are our choice (not checked against the service).
   */
  forbidden: { status: 403, code: 'CSMS.0403', msg: 'Permission denied.' },
} as const;

const SECRET_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const PROJECT_ID = /^[0-9a-f]{32}$/i;

/**
 * The secrets of an emulated DEW CSMS, per project: each `put` adds a version (`v1`, `v2`, ...)
 * that becomes the latest, as rotating a secret does. Kept beside the DMS state of one emulator (see
 * `csmsSecretsOf`), seeded through the control API (`POST /__emulator/secrets`).
 */
export class CsmsSecrets {
  readonly #versions = new Map<string, CsmsSecretVersion[]>();
  readonly #denied = new Set<string>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Adds a version of `name` in `projectId` holding `value`; it becomes the latest. */
  put(projectId: string, name: string, value: string): CsmsSecretVersion {
    if (!PROJECT_ID.test(projectId)) throw new EmulatorInputError('projectId must be 32 hex digits');
    if (!SECRET_NAME.test(name)) throw new EmulatorInputError('name must be 1 to 64 of A-Z a-z 0-9 _ - .');
    const key = `${projectId}/${name}`;
    const versions = this.#versions.get(key) ?? [];
    const version = { id: `v${versions.length + 1}`, secretString: value, createTime: this.now() };
    this.#versions.set(key, [...versions, version]);
    return version;
  }

  /** Refuses every read of `name` in `projectId` with 403, as IAM does for an agency without the permission. */
  deny(projectId: string, name: string): void {
    this.#denied.add(`${projectId}/${name}`);
  }

  /** Whether reads of `name` in `projectId` are refused. */
  denied(projectId: string, name: string): boolean {
    return this.#denied.has(`${projectId}/${name}`);
  }

  /** The version `versionId` (`latest` for the newest) of `name` in `projectId`. */
  version(projectId: string, name: string, versionId: string): CsmsSecretVersion | undefined {
    const versions = this.#versions.get(`${projectId}/${name}`) ?? [];
    return versionId === 'latest' ? versions.at(-1) : versions.find((v) => v.id === versionId);
  }

  /** Names and version counts (never a value), for `GET /__emulator/state`. */
  list(): { projectId: string; name: string; versions: number }[] {
    return [...this.#versions].map(([key, versions]) => {
      const [projectId = '', name = ''] = key.split('/');
      return { projectId, name, versions: versions.length };
    });
  }

  clear(): void {
    this.#versions.clear();
    this.#denied.clear();
  }
}

const stores = new WeakMap<EmulatorState, CsmsSecrets>();

/** The CSMS secrets of the emulator that owns `state` (made on first use). */
export function csmsSecretsOf(state: EmulatorState): CsmsSecrets {
  let secrets = stores.get(state);
  if (!secrets) {
    secrets = new CsmsSecrets();
    stores.set(state, secrets);
  }
  return secrets;
}

/** `/v1/{project_id}/secrets/{secret_name}/versions/{version_id}`: the path CSMS serves here. */
export function isCsmsPath(s: readonly string[]): boolean {
  return s[0] === 'v1' && s[2] === 'secrets' && s[4] === 'versions' && s.length === 6;
}

/**
 * `GET /v1/{project_id}/secrets/{secret_name}/versions/{version_id}` (`latest` for the newest), after
 * the gateway's checks (signature, lockout, tenancy) in `routeApi`: `{"version": {"version_metadata":
 * {...}, "secret_string": "..."}}` as DEW's API reference describes it.
 */
export function showSecretVersion(
  secrets: CsmsSecrets,
  projectId: string,
  name: string,
  versionId: string,
): CsmsResponse {
  const fail = (e: (typeof CSMS_ERRORS)[keyof typeof CSMS_ERRORS]): CsmsResponse => ({
    status: e.status,
    body: { error_code: e.code, error_msg: e.msg },
  });
  if (!PROJECT_ID.test(projectId)) return fail(CSMS_ERRORS.badProject);
  if (secrets.denied(projectId, name)) return fail(CSMS_ERRORS.forbidden);
  const version = secrets.version(projectId, name, versionId);
  if (!version) return fail(CSMS_ERRORS.notFound);
  return {
    status: 200,
    body: {
      version: {
        version_metadata: {
          id: version.id,
          secret_name: name,
          create_time: version.createTime,
          version_stages:
            versionId === 'latest' || secrets.version(projectId, name, 'latest') === version ? ['SYSCURRENT'] : [],
        },
        secret_string: version.secretString,
      },
    },
  };
}
