/**
 * Renders `docs/configuration.md` from `schema/config.schema.json`: one table per part of the document
 * (the top level, a project, a watched instance, `http`, `notify`, a destination, ...), each setting
 * with its type, default and the schema's own title and description. The schema is the one place a
 * setting is described; `scripts/gen-config-docs.ts` writes the page and `test/docs/configDocs.test.ts`
 * fails when the committed page differs from what this renders.
 */

type Json = Record<string, unknown>;

/** Parts of the document that get a section of their own, in page order: `$defs` name, path shown, heading. */
const SECTIONS: readonly { def: string; path: string; heading: string }[] = [
  { def: '(root)', path: '', heading: 'Top level' },
  { def: 'project', path: 'projects.<project_id>', heading: 'A project' },
  { def: 'instance', path: 'projects.<project_id>.instances[]', heading: 'A watched instance' },
  { def: 'secretRef', path: '(any secret)', heading: 'A secret reference' },
  { def: 'http', path: 'http', heading: 'HTTP functions and the operator API' },
  { def: 'notify', path: 'notify', heading: 'The notifier' },
  { def: 'destination', path: 'notify.destinations.<name>', heading: 'A destination' },
  { def: 'route', path: 'notify.routes.<name>', heading: 'A route' },
  { def: 'quietWindow', path: 'notify.routes.<name>.quietHours[]', heading: 'A quiet window' },
  { def: 'filter', path: 'notify.filter, notify.routes.<name>.filter', heading: 'A filter' },
  { def: 'silence', path: 'notify.silences[]', heading: 'A silence' },
  { def: 'store', path: 'notify.store', heading: 'The state store' },
];

const OWN_SECTION = new Set(SECTIONS.map((s) => s.def));

function isJson(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list(v: unknown): Json[] {
  return Array.isArray(v) ? v.filter(isJson) : [];
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Markdown table cells: no raw pipes or line breaks. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}

class Renderer {
  constructor(private readonly schema: Json) {}

  private defs(): Json {
    return isJson(this.schema.$defs) ? this.schema.$defs : {};
  }

  private refName(node: Json): string | undefined {
    const ref = text(node.$ref);
    return ref.startsWith('#/$defs/') ? ref.slice('#/$defs/'.length) : undefined;
  }

  def(name: string): Json {
    if (name === '(root)') return this.schema;
    const d = this.defs()[name];
    if (!isJson(d)) throw new Error(`schema has no $defs.${name}`);
    return d;
  }

  /** A short type: `integer 1 to 100`, `"start" or "offset"`, `list of secret reference`, a link to a section. */
  type(node: Json): string {
    const ref = this.refName(node);
    if (ref !== undefined) {
      if (OWN_SECTION.has(ref)) {
        const s = SECTIONS.find((x) => x.def === ref);
        return s ? `[${s.heading.toLowerCase()}](#${anchor(s.heading)})` : ref;
      }
      const target = this.def(ref);
      if (Array.isArray(target.enum) && target.enum.length > 8)
        return `${ref} (one of ${target.enum.length}, see the schema)`;
      return this.type(target);
    }
    if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
    if (Array.isArray(node.enum)) {
      if (node.enum.length > 8) return `one of ${node.enum.length} values (see the schema)`;
      return node.enum.map((e) => `\`${JSON.stringify(e)}\``).join(', ');
    }
    const alternatives = list(node.oneOf).length > 0 ? list(node.oneOf) : list(node.anyOf);
    if (alternatives.length > 0 && node.type === undefined) return alternatives.map((a) => this.type(a)).join(' or ');
    const allOf = list(node.allOf);
    if (allOf.length > 0 && node.type === undefined) return allOf.map((a) => this.type(a)).filter(Boolean)[0] ?? '';
    switch (node.type) {
      case 'integer':
      case 'number': {
        const min = typeof node.minimum === 'number' ? node.minimum : undefined;
        const max = typeof node.maximum === 'number' ? node.maximum : undefined;
        const range =
          min !== undefined && max !== undefined ? ` ${min} to ${max}` : min !== undefined ? ` ≥ ${min}` : '';
        return `${node.type}${range}`;
      }
      case 'array':
        return isJson(node.items) ? `list of ${this.type(node.items)}` : 'list';
      case 'object':
        if (isJson(node.additionalProperties)) return `map of name to ${this.type(node.additionalProperties)}`;
        return 'object';
      case 'string':
        return text(node.format) === 'uri' ? 'URL' : 'string';
      case 'boolean':
        return 'boolean';
      default:
        return '';
    }
  }

  /** The title and description, of the property itself or else of the definition it refers to. */
  meaning(node: Json): string {
    const ref = this.refName(node);
    const target = ref !== undefined ? this.def(ref) : undefined;
    const own = ref !== undefined && OWN_SECTION.has(ref);
    const title = text(node.title) || (own ? '' : text(target?.title));
    const description = text(node.description) || (own ? '' : text(target?.description));
    const parts = [title ? `**${title}.**` : '', description].filter(Boolean);
    return parts.join(' ');
  }

  /** The rows of one object: its properties, and inline objects' properties under dotted paths. */
  rows(node: Json, path: string, out: string[][]): void {
    const props = isJson(node.properties) ? node.properties : {};
    for (const [key, raw] of Object.entries(props)) {
      if (!isJson(raw) || key === '$schema') continue;
      const here = path ? `${path}.${key}` : key;
      const fallback = raw.default === undefined ? '' : `\`${JSON.stringify(raw.default)}\``;
      out.push([`\`${here}\``, this.type(raw), fallback, this.meaning(raw)]);
      for (const n of [raw, ...list(raw.oneOf)]) {
        const ref = this.refName(n);
        if (ref !== undefined && OWN_SECTION.has(ref)) continue;
        const target = ref === undefined ? n : this.def(ref);
        if (isJson(target.properties)) this.rows(target, here, out);
      }
    }
  }

  section(s: (typeof SECTIONS)[number]): string {
    const node = this.def(s.def);
    const lines = [`## ${s.heading}`, ''];
    if (s.path) lines.push(`Path: \`${s.path}\`.`, '');
    const intro = [text(node.title) && s.def !== '(root)' ? `**${text(node.title)}.**` : '', text(node.description)]
      .filter(Boolean)
      .join(' ');
    if (intro) lines.push(intro, '');
    const variants = list(node.oneOf).filter((v) => isJson(v.properties));
    const tables = variants.length > 0 ? variants : [node];
    for (const variant of tables) {
      const rows: string[][] = [];
      this.rows(variant, '', rows);
      if (variants.length > 0) {
        const type = isJson(variant.properties) && isJson(variant.properties.type) ? variant.properties.type.const : '';
        lines.push(`### \`"type": ${JSON.stringify(type)}\``, '');
        if (text(variant.description)) lines.push(text(variant.description), '');
      }
      lines.push('| setting | type | default | meaning |', '|---|---|---|---|');
      for (const r of rows) lines.push(`| ${r.map(cell).join(' | ')} |`);
      lines.push('');
    }
    return lines.join('\n');
  }
}

/** The whole page, from the parsed schema. */
export function renderConfigDocs(schema: unknown): string {
  if (!isJson(schema)) throw new Error('the schema is not a JSON object');
  const r = new Renderer(schema);
  const head = [
    '# Configuration reference',
    '',
    '<!-- Generated by `node --import tsx scripts/gen-config-docs.ts` from schema/config.schema.json:',
    '     edit the descriptions there, then run it again. test/docs/configDocs.test.ts fails when stale. -->',
    '',
    'Every function reads one JSON document at cold start: `DMS_TASKS_CONFIG` (the document itself), else',
    'the file named by `DMS_TASKS_CONFIG_FILE`, else the file packaged with the function',
    '(`DMS_TASKS_PACKAGE_CONFIG` at build time); any of them may instead be a pointer',
    '`{"configFrom": {"ssm" | "csms": ...}}` to one secret holding the whole document. An unknown key or a',
    'bad value is an error naming the setting. Secrets are never inline: each is a',
    '[secret reference](#a-secret-reference). Paths below use `<name>` for a key you choose and `[]` for a',
    'list item. Put `"$schema": "<path to>/schema/config.schema.json"` first in a file and your editor',
    'validates and completes it. Complete documents to copy: [examples/](../examples/README.md).',
    '',
    'Contents:',
    ...SECTIONS.map((s) => `- [${s.heading}](#${anchor(s.heading)})`),
    '',
  ];
  return `${[...head, ...SECTIONS.map((s) => r.section(s))].join('\n').trimEnd()}\n`;
}
