import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

const shared = sharedTestConfig(import.meta.dirname);

export default defineConfig({
  ...shared,
  test: { ...shared.test, globalSetup: ['./test/global-setup.ts'] },
});
