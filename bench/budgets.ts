import type { FunctionName } from './bundles';

/**
 * Size budgets of the deployed bundles (`functions/<name>.js` in each zip of `serverless package`,
 * minified), in bytes. `test/packaging/package.test.ts` fails above them; `npm run bench` reports
 * against them. Below a budget, the clearer code wins over a shorter one.
 */
export const BUNDLE_BUDGET_BYTES = {
  list: 32 * 1024,
  show: 32 * 1024,
  'notify-on-failure': 80 * 1024,
} as const satisfies Record<FunctionName, number>;
