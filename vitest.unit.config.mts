import { defineConfig } from 'vitest/config';
import base from './vitest.config.mts';
import { UNIT_TESTS } from './test/support/unitTests';

/** `npm run test:unit`: the fast subset (test/support/unitTests.ts), nothing started. */
export default defineConfig({ ...base, test: { ...base.test, include: [...UNIT_TESTS] } });
