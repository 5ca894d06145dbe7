/**
 * The program `invokeLambdaPackage` runs in a child Node.js (the Lambda runtime's version): it loads an
 * unpacked Lambda zip's handler file and calls `handler(event, context)` once per invocation, in order,
 * in one process (a cold start, then warm calls), with a context shaped like the Node.js runtime's
 * (`awsRequestId`, `functionName`, `getRemainingTimeInMillis()`). Self-contained: built with esbuild.
 * argv: <package dir> <input JSON file> <output JSON file> <handler file>.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FunctionGraphResult, FunctionGraphRun } from './functiongraphRunTypes';
import type { LambdaInvocation } from './invokeLambdaPackage';

type Handler = (event: unknown, context: Record<string, unknown>) => Promise<unknown>;

const failure = (err: unknown): FunctionGraphResult => ({
  ok: false,
  error: err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) },
});

async function main(): Promise<void> {
  const [dir = '.', inputFile = '', outputFile = '', handlerFile = ''] = process.argv.slice(2);
  const input = JSON.parse(readFileSync(inputFile, 'utf8')) as { invocations: LambdaInvocation[] };
  const envKeys = Object.keys(process.env).sort();
  const results: FunctionGraphResult[] = [];
  let handler: Handler | undefined;
  try {
    const loaded = require(join(dir, handlerFile)) as { handler?: unknown };
    if (typeof loaded.handler !== 'function') throw new TypeError(`${handlerFile} exports no function handler`);
    handler = loaded.handler as Handler;
  } catch (err) {
    results.push(failure(err));
  }
  for (const invocation of handler ? input.invocations : []) {
    const deadline = Date.now() + (invocation.timeoutMs ?? 29_000);
    const context = {
      awsRequestId: invocation.requestId,
      functionName: handlerFile,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    try {
      results.push({ ok: true, value: await (handler as Handler)(invocation.event, context) });
    } catch (err) {
      results.push(failure(err));
    }
  }
  const run: FunctionGraphRun = { node: process.version, envKeys, results };
  writeFileSync(outputFile, JSON.stringify(run));
}

main().then(
  // Open keep-alive sockets (DMS, Redis) would hold the process; Lambda freezes it instead.
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
