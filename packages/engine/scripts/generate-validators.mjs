/**
 * Build step (after tsc): generates the validators from the built sources into src/generated/
 * (for tests and editors) and dist/generated/ (what the package runs).
 */
import { fileURLToPath } from 'node:url';
import { writeValidatorModules } from './validator-codegen.mjs';

const root = new URL('..', import.meta.url);
const { validatorSources } = await import(new URL('dist/policy/validator-sources.js', root).href);
writeValidatorModules(validatorSources(), [
  fileURLToPath(new URL('src/generated/', root)),
  fileURLToPath(new URL('dist/generated/', root)),
]);
