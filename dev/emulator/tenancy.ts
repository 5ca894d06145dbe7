import { EmulatorInputError } from './types';

/** Why the gateway refused a request on tenancy grounds. */
export type TenancyRefusal =
  | { readonly reason: 'projectMismatch'; readonly pathProject: string; readonly headerProject: string }
  | { readonly reason: 'notMember'; readonly project: string };

/** Checks an AK's project list that may have come from JSON. */
export function validateProjects(accessKeyId: string, input: unknown): readonly string[] {
  if (!Array.isArray(input) || !input.every((p): p is string => typeof p === 'string'))
    throw new EmulatorInputError(`the projects of ${accessKeyId} must be an array of project ids`);
  return [...input];
}

/**
 * Which projects each access key belongs to. An AK with no list belongs to every project (the
 * default, so the emulator's own credentials reach every project it knows, seeded or added later,
 * and well-formed unknown ones, as before); an AK given a list belongs to exactly those projects.
 */
export class Tenancy {
  private readonly restricted = new Map<string, ReadonlySet<string>>();

  constructor(accessKeyProjects: Readonly<Record<string, readonly string[]>> = {}) {
    for (const [ak, projects] of Object.entries(accessKeyProjects)) this.set(ak, projects);
  }

  /** Restricts `accessKeyId` to `projects`, or lifts the restriction with `undefined`. */
  set(accessKeyId: string, projects: readonly string[] | undefined): void {
    if (projects === undefined) this.restricted.delete(accessKeyId);
    else this.restricted.set(accessKeyId, new Set(validateProjects(accessKeyId, projects)));
  }

  /** The restricted access keys and their projects. */
  list(): Record<string, string[]> {
    return Object.fromEntries([...this.restricted].map(([ak, projects]) => [ak, [...projects]]));
  }

  /**
   * `undefined` when `accessKeyId` may call the API of `pathProject`: the `X-Project-Id` header, if
   * sent, names the same project, and the AK belongs to it.
   */
  check(accessKeyId: string, pathProject: string, headerProject: string | undefined): TenancyRefusal | undefined {
    if (headerProject !== undefined && headerProject !== pathProject)
      return { reason: 'projectMismatch', pathProject, headerProject };
    const projects = this.restricted.get(accessKeyId);
    if (projects && !projects.has(pathProject)) return { reason: 'notMember', project: pathProject };
    return undefined;
  }
}
