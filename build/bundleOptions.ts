import type { BuildOptions } from 'esbuild';

/** The functions `serverless.yml` deploys (`functions/<name>.ts`), also packaged for FunctionGraph. */
export const FUNCTIONS = ['list', 'show', 'ops', 'notify-on-failure'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

/**
 * The esbuild options serverless.yml gives serverless-esbuild (`custom.esbuild`), so the bench's
 * reference bundles and the FunctionGraph packages are built the same way as the Lambda ones. The
 * target is Lambda's runtime (`nodejs24.x`, dev/pinnedNode.ts `LAMBDA_RUNTIME`); the FunctionGraph
 * packages override it with {@link FUNCTIONGRAPH_ESBUILD_TARGET}.
 */
export const ESBUILD_OPTIONS: BuildOptions = {
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  external: ['@aws-sdk/*'],
  logLevel: 'error',
};

/** FunctionGraph's newest Node.js on the international site is 20.15: its packages are built for it. */
export const FUNCTIONGRAPH_ESBUILD_TARGET = 'node20';
