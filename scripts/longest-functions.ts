/**
 * Lists the longest functions (declarations, methods, arrows, function expressions) below a folder,
 * by line span including their body: `node --import tsx scripts/longest-functions.ts lib/notify 10`.
 * A review aid for keeping orchestrators short, not a test.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

interface Span {
  readonly lines: number;
  readonly name: string;
  readonly where: string;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return files(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

function nameOf(n: ts.Node): string {
  if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) && n.name) return n.name.getText();
  if (ts.isVariableDeclaration(n.parent)) return n.parent.name.getText();
  if (ts.isConstructorDeclaration(n)) return 'constructor';
  return '<anonymous>';
}

function spans(root: string, file: string): Span[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Span[] = [];
  const visit = (n: ts.Node): void => {
    const isFunction =
      ts.isFunctionDeclaration(n) ||
      ts.isMethodDeclaration(n) ||
      ts.isArrowFunction(n) ||
      ts.isFunctionExpression(n) ||
      ts.isConstructorDeclaration(n);
    if (isFunction) {
      const first = src.getLineAndCharacterOfPosition(n.getStart()).line;
      const last = src.getLineAndCharacterOfPosition(n.getEnd()).line;
      out.push({ lines: last - first + 1, name: nameOf(n), where: `${relative(root, file)}:${first + 1}` });
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

const root = process.argv[2] ?? 'lib/notify';
const count = Number(process.argv[3] ?? 10);
const all = files(root).flatMap((f) => spans(root, f));
all.sort((a, b) => b.lines - a.lines);
for (const s of all.slice(0, count)) console.log(`${String(s.lines).padStart(4)} ${s.name} ${s.where}`);
