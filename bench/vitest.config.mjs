import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../vitest.shared.ts';

const shared = sharedTestConfig(import.meta.dirname);

// The harness is plain ESM: its specifications are .test.mjs files next to the code.
export default defineConfig({ ...shared, test: { ...shared.test, include: ['**/*.test.mjs'] } });
