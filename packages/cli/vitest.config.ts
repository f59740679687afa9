import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

const shared = sharedTestConfig(import.meta.dirname);

// The generated user-file validators (src/generated/) are made before the tests, so a clean clone needs no build.
export default defineConfig({ ...shared, test: { ...shared.test, globalSetup: ['./test/global-setup.ts'] } });
