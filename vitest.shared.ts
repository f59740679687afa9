import { fileURLToPath } from 'node:url';
import type { ViteUserConfig as UserConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * One test configuration for every package. Workspace packages resolve to their TypeScript
 * sources, so unit tests never depend on a stale `dist/`; end-to-end tests (in `test/`) run
 * the built artefacts in child processes and therefore need `pnpm build` first (turbo does it).
 */
export function sharedTestConfig(packageDir: string): UserConfig {
  // CI collects every package's results into one closing line (see .ci/summarize-tests.mjs).
  const reportDir = process.env.PULLGUARD_TEST_REPORT_DIR;
  const reporting = reportDir
    ? {
        reporters: ['default', 'json'],
        outputFile: { json: `${reportDir}/${packageDir.replace(/[^a-zA-Z0-9]+/g, '_')}.json` },
      }
    : {};
  return {
    root: packageDir,
    resolve: {
      alias: [
        { find: /^@pullguard\/engine$/, replacement: `${root}packages/engine/src/index.ts` },
        { find: /^@pullguard\/engine\/internals$/, replacement: `${root}packages/engine/src/internals.ts` },
        { find: /^@pullguard\/sdk$/, replacement: `${root}packages/sdk/src/index.ts` },
        { find: /^@pullguard\/sdk\/testing$/, replacement: `${root}packages/sdk/src/testing/index.ts` },
        { find: /^@pullguard\/sdk\/client$/, replacement: `${root}packages/sdk/src/client/index.ts` },
        { find: /^@pullguard\/registry$/, replacement: `${root}packages/registry/src/index.ts` },
        {
          find: /^@pullguard\/registry\/test-support$/,
          replacement: `${root}packages/registry/src/test-support/index.ts`,
        },
        { find: /^@pullguard\/server$/, replacement: `${root}packages/server/src/index.ts` },
        {
          find: /^@pullguard\/server\/admission$/,
          replacement: `${root}packages/server/src/admission/answer.ts`,
        },
      ],
    },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts', '**/*.test.ts'],
      exclude: ['**/node_modules/**', '**/dist/**'],
      testTimeout: 20_000,
      hookTimeout: 30_000,
      ...reporting,
    },
  };
}
