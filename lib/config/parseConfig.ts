import { ENGINES, type Engine } from '../dms/types';
import { parseCoreConfig, rawInstances, rawProject } from './parseCoreConfig';
import { fail, readMember, readObject, readStringList, type RawSection } from './readers';
import type { AppConfig, CoreProject, ProjectConfig, WatchedInstance } from './types';

function parseDiscover(v: unknown, path: string): Engine[] {
  if (v === undefined || v === false) return [];
  if (v === true) return [...ENGINES];
  if (!Array.isArray(v)) fail(path, 'must be true, false or a list of engines');
  return v.map((e, n) => readMember(e, `${path}[${n}]`, ENGINES));
}

/** Adds a project's notifier settings (routes per instance, `discover`) to its shared part. */
function withWatchSettings(core: CoreProject, raw: RawSection, path: string): ProjectConfig {
  const rawList = rawInstances(raw, path);
  const instances = core.instances.map((instance, n): WatchedInstance => {
    const at = `${path}.instances[${n}].routes`;
    const routes = readObject(rawList[n], `${path}.instances[${n}]`).routes;
    if (routes !== undefined && !Array.isArray(routes)) fail(at, 'must be an array of route names');
    return { ...instance, routes: readStringList(routes, at) };
  });
  return { ...core, instances, discover: parseDiscover(raw.discover, `${path}.discover`) };
}

/**
 * Validates what the notifier reads outside its own section: the shared settings (`parseCoreConfig`)
 * plus, per project, the routes of each instance and `discover`. The `notify` section is kept raw for
 * `parseNotifyConfig`; `http` is the HTTP functions' (`parseHttpConfig`) and is not read here. Throws
 * `ConfigError` naming the first bad setting.
 *
 * @example
 * const notify = parseNotifyConfig(parseConfig(JSON.parse(text)));
 */
export function parseConfig(raw: unknown): AppConfig {
  const core = parseCoreConfig(raw);
  const rawProjects = readObject(readObject(raw, '(root)').projects, 'projects');
  const projects = new Map<string, ProjectConfig>();
  for (const [id, project] of core.projects) {
    const path = `projects.${id}`;
    projects.set(id, withWatchSettings(project, rawProject(rawProjects[id], path), path));
  }
  return { ...core, projects, notify: (raw as RawSection).notify };
}
