import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Generates the OpenAPI types (src/generated/) when they are missing or older than the document,
 * so `npx vitest run` works on a clean clone without a build. (Tests import them as types only;
 * this keeps editors and `tsc` in step with what the tests run.)
 */
export default function setup(): void {
  const script = fileURLToPath(new URL('../../../scripts/generate-api-types.mjs', import.meta.url));
  execFileSync(process.execPath, [script, 'src/generated/api.ts', '--if-stale'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: 'inherit',
  });
}
