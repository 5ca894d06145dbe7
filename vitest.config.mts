import { defineConfig } from 'vitest/config';
import { PlainSummaryReporter } from './test/support/plainSummaryReporter';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: keep the number of worker processes small so server-based tests don't starve each other.
    maxWorkers: 2,
    reporters: ['default', new PlainSummaryReporter()],
    env: {
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
    },
  },
});
