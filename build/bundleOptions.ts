import type { BuildOptions } from 'esbuild';

/** The functions `serverless.yml` deploys (`functions/<name>.ts`), also packaged for FunctionGraph. */
export const FUNCTIONS = ['list', 'show', 'ops', 'notify-on-failure'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

/**
 * The esbuild options serverless.yml gives serverless-esbuild (`custom.esbuild`), so the bench's
 * reference bundles and the FunctionGraph packages are built the same way as the Lambda ones.
 */
export const ESBUILD_OPTIONS: BuildOptions = {
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['@aws-sdk/*'],
  logLevel: 'error',
};
