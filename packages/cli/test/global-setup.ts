import { fileURLToPath } from 'node:url';
import { generateValidators } from '../scripts/generate-validators.mjs';

/**
 * Generates the user-file validators (src/generated/), so that tests run the generated code on a
 * clean clone without a build, and always the code of the schemas as they are now.
 */
export default function setup(): void {
  generateValidators([fileURLToPath(new URL('../src/generated/', import.meta.url))]);
}
