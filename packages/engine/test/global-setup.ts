import { writeValidatorModules } from '../scripts/validator-codegen.mjs';
import { validatorSources } from '../src/policy/validator-sources.js';

/**
 * Generates the validators (src/generated/) from the sources, so that tests run the generated
 * code on a clean clone without a build, and always the code of the schemas as they are now.
 */
export default function setup(): void {
  writeValidatorModules(validatorSources(), [new URL('../src/generated/', import.meta.url).pathname]);
}
