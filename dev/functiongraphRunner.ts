/**
 * The program `invokeFunctionGraphPackage` runs in a child Node.js (FunctionGraph's 20.15): it loads an
 * unpacked FunctionGraph package's `index.js` and calls `handler(event, context)` once per invocation,
 * in order, in one process (a cold start, then warm calls), with a context shaped like FunctionGraph's
 * (REFERENCE.md, "Huawei FunctionGraph"). Self-contained: built with esbuild into plain CommonJS.
 * argv: <package dir> <input JSON file> <output JSON file>.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FunctionGraphRun, FunctionGraphRunInput, FunctionGraphResult } from './functiongraphRunTypes';

type Handler = (event: unknown, context: Record<string, unknown>) => Promise<unknown>;

function logger(requestId: string): Record<string, (...args: unknown[]) => void> {
  const line =
    (level: string) =>
    (...args: unknown[]) => {
      process.stdout.write(`${new Date().toISOString()} ${requestId} ${level} ${args.map(String).join(' ')}\n`);
    };
  return { debug: line('DEBUG'), info: line('INFO'), warn: line('WARN'), error: line('ERROR') };
}

async function main(): Promise<void> {
  const [dir = '.', inputFile = '', outputFile = ''] = process.argv.slice(2);
  const input = JSON.parse(readFileSync(inputFile, 'utf8')) as FunctionGraphRunInput;
  const started = Date.now();
  // As the platform gave it: the FunctionGraph entry copies the function's variables in later.
  const envKeys = Object.keys(process.env).sort();
  const results: FunctionGraphResult[] = [];
  let handler: Handler | undefined;
  try {
    handler = (require(join(dir, 'index.js')) as { handler?: Handler }).handler;
    if (typeof handler !== 'function') throw new TypeError('index.js exports no function handler');
  } catch (err) {
    results.push({ ok: false, error: { name: (err as Error).name, message: (err as Error).message } });
  }
  for (const { event, context: c } of handler ? input.invocations : []) {
    const deadline = Date.now() + c.timeoutMs;
    const context = {
      getRequestID: () => c.requestId,
      getRemainingTimeInMilliSeconds: () => Math.max(0, deadline - Date.now()),
      getRunningTimeInSeconds: () => Math.floor((Date.now() - started) / 1000),
      getSecurityAccessKey: () => c.credentials?.accessKey ?? '',
      getSecuritySecretKey: () => c.credentials?.secretKey ?? '',
      getSecurityToken: () => c.credentials?.securityToken ?? '',
      getUserData: (key: string) => c.userData?.[key] ?? '',
      getFunctionName: () => c.functionName,
      getLogger: () => logger(c.requestId),
    };
    try {
      results.push({ ok: true, value: await (handler as Handler)(event, context) });
    } catch (err) {
      results.push({ ok: false, error: { name: (err as Error).name, message: (err as Error).message } });
    }
  }
  const run: FunctionGraphRun = { node: process.version, envKeys, results };
  writeFileSync(outputFile, JSON.stringify(run));
}

main().then(
  // Open keep-alive sockets (DMS, Redis) would hold the process; FunctionGraph freezes it instead.
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
