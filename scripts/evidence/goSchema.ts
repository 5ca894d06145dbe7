/**
 * Reads Terraform resource schemas from the huaweicloud provider's Go source, as text (no Go toolchain,
 * no network): `schema.Resource` literals with their `Schema: map[string]*schema.Schema{...}`, nested
 * `Elem: &schema.Resource{...}` blocks, and helper functions returning either (resolved in the same
 * package or in `huaweicloud/common`). Used by record-provider-schema.ts. Records facts: argument names,
 * types, required/optional/computed, nested blocks.
 */

export type AttrType = 'string' | 'bool' | 'int' | 'float' | 'list' | 'set' | 'map' | 'unknown';

export interface Attribute {
  readonly type: AttrType;
  readonly required?: true;
  readonly optional?: true;
  readonly computed?: true;
  readonly maxItems?: number;
  /** A primitive element type of a list, set or map. */
  readonly elem?: AttrType;
  /** A nested block (list or set of `schema.Resource`). */
  readonly block?: Record<string, Attribute>;
  /** What could not be resolved, kept as the Go expression. */
  readonly unresolved?: string;
}

/** Go source files by path, all of one snapshot. */
export type GoFiles = ReadonlyMap<string, string>;

/** The index just past the bracket that closes the one at `open` (`{`, `(` or `[`), skipping strings and comments. */
export function closing(text: string, open: number): number {
  const pairs: Record<string, string> = { '{': '}', '(': ')', '[': ']' };
  const stack: string[] = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '/' && text[i + 1] === '/') {
      i = text.indexOf('\n', i);
      if (i < 0) break;
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2) + 1;
    } else if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '`') {
      i = text.indexOf('`', i + 1);
    } else if (pairs[c]) {
      stack.push(pairs[c] ?? '');
    } else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i + 1;
    }
  }
  throw new Error(`unbalanced ${text[open]} at ${open}`);
}

/** The top-level comma-separated parts of a literal's body (between its braces), trimmed, comments dropped. */
export function topLevelParts(body: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? '';
    if (c === '/' && body[i + 1] === '/') {
      const end = body.indexOf('\n', i);
      body = `${body.slice(0, i)}${' '.repeat((end < 0 ? body.length : end) - i)}${end < 0 ? '' : body.slice(end)}`;
      i = end < 0 ? body.length : end;
    } else if (c === '{' || c === '(' || c === '[' || c === '"' || c === '`' || c === "'") {
      if (c === '"' || c === "'") {
        for (i++; i < body.length && body[i] !== c; i++) if (body[i] === '\\') i++;
      } else if (c === '`') i = body.indexOf('`', i + 1);
      else i = closing(body, i) - 1;
    } else if (c === ',') {
      parts.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(body.slice(start).trim());
  return parts.filter((p) => p !== '');
}

/** `Key: value` fields of a struct literal body. */
function fields(body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of topLevelParts(body)) {
    const m = /^([A-Za-z]+)\s*:\s*([\s\S]*)$/.exec(part);
    if (m?.[1] && m[2] !== undefined) out.set(m[1], m[2].trim());
  }
  return out;
}

const TYPES: Record<string, AttrType> = {
  'schema.TypeString': 'string',
  'schema.TypeBool': 'bool',
  'schema.TypeInt': 'int',
  'schema.TypeFloat': 'float',
  'schema.TypeList': 'list',
  'schema.TypeSet': 'set',
  'schema.TypeMap': 'map',
};

/** Where a Go function is defined: its body text, looked up in `pkgDir` then in `huaweicloud/common`. */
function functionBody(files: GoFiles, pkgDir: string, call: string): { body: string; dir: string } | undefined {
  // A call, with or without arguments (`common.TagsSchema(\`...\`)`): what it returns does not depend on them here.
  const qualified = /^(?:([a-z]+)\.)?([A-Za-z0-9_]+)\([\s\S]*\)$/.exec(call.trim());
  if (!qualified?.[2]) return undefined;
  const [, pkg, name] = qualified;
  const dirs = pkg ? [`huaweicloud/${pkg}`, `huaweicloud/services/${pkg}`] : [pkgDir];
  for (const [path, text] of files) {
    if (!dirs.some((d) => path.startsWith(`${d}/`) && !path.slice(d.length + 1).includes('/'))) continue;
    const at = text.search(new RegExp(`\\nfunc ${name}\\([^)]*\\)[^{]*\\{`));
    if (at < 0) continue;
    const open = text.indexOf('{', at + 1);
    return { body: text.slice(open, closing(text, open)), dir: path.slice(0, path.lastIndexOf('/')) };
  }
  return undefined;
}

/** The attributes of a `map[string]*schema.Schema{...}` literal (the text from its `{`). */
export function parseSchemaMap(files: GoFiles, dir: string, literal: string): Record<string, Attribute> {
  const body = literal.slice(1, closing(literal, 0) - 1);
  const out: Record<string, Attribute> = {};
  for (const part of topLevelParts(body)) {
    const m = /^"([a-z0-9_]+)"\s*:\s*([\s\S]*)$/.exec(part);
    if (!m?.[1] || m[2] === undefined) throw new Error(`${dir}: unexpected schema entry ${part.slice(0, 60)}`);
    out[m[1]] = parseSchemaValue(files, dir, m[2].trim());
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** A `*schema.Schema` value: a literal `{...}` / `&schema.Schema{...}`, or a call to a function returning one. */
function parseSchemaValue(files: GoFiles, dir: string, value: string): Attribute {
  const literal = /^(?:&schema\.Schema)?\{/.test(value) ? value.slice(value.indexOf('{')) : undefined;
  if (!literal) {
    const fn = functionBody(files, dir, value);
    // `return &schema.Schema{...}`, or a literal assigned first and returned (`common.TagsSchema`).
    const at = fn?.body.search(/schema\.Schema\{/) ?? -1;
    if (!fn || at < 0) return { type: 'unknown', unresolved: value };
    const ret = fn.body.slice(fn.body.indexOf('{', at));
    return parseSchemaValue(files, fn.dir, ret.slice(0, closing(ret, 0)));
  }
  const f = fields(literal.slice(1, closing(literal, 0) - 1));
  const type = TYPES[f.get('Type') ?? ''] ?? 'unknown';
  const attr: { -readonly [K in keyof Attribute]: Attribute[K] } = { type };
  if (f.get('Required') === 'true') attr.required = true;
  if (f.get('Optional') === 'true') attr.optional = true;
  if (f.get('Computed') === 'true') attr.computed = true;
  const maxItems = Number(f.get('MaxItems'));
  if (Number.isInteger(maxItems) && maxItems > 0) attr.maxItems = maxItems;
  const elem = f.get('Elem');
  if (elem) {
    const primitive = /^&schema\.Schema\{\s*Type:\s*(schema\.Type[A-Za-z]+)/.exec(elem);
    if (primitive?.[1]) attr.elem = TYPES[primitive[1]] ?? 'unknown';
    else {
      const block = resourceSchema(files, dir, elem);
      if (block) attr.block = block;
      else attr.unresolved = elem;
    }
  }
  return attr;
}

/** The schema of a `&schema.Resource{...}` literal, or of a call to a function that returns one. */
export function resourceSchema(files: GoFiles, dir: string, expr: string): Record<string, Attribute> | undefined {
  let text = expr;
  let at = text.search(/&schema\.Resource\{/);
  let where = dir;
  if (at !== 0) {
    const fn = functionBody(files, dir, expr);
    if (!fn) return undefined;
    text = fn.body;
    where = fn.dir;
    at = text.search(/&schema\.Resource\{/);
    if (at < 0) return undefined;
  }
  const open = text.indexOf('{', at);
  const resource = text.slice(open, closing(text, open));
  const schema = fields(resource.slice(1, -1)).get('Schema');
  if (!schema) return undefined;
  if (schema.startsWith('map[string]*schema.Schema{'))
    return parseSchemaMap(files, where, schema.slice(schema.indexOf('{')));
  return undefined;
}
