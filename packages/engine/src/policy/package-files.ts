/**
 * What the engine reads from its own package at run time, found next to its modules (both
 * `src/policy/` and `dist/policy/` sit two levels below the package root, beside `generated/`):
 * the PullPolicy JSON Schema, the validators generated from it at build time, and ajv for the
 * schemas that were not generated. package-files.browser.ts is this module in the browser build
 * (package.json `browser`), where these come bundled instead.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { GeneratedValidators } from '../documents/precompiled-validators.js';

const SCHEMA_URL = new URL('../../schemas/pullpolicy.schema.json', import.meta.url);
const require = createRequire(import.meta.url);

export function readPolicySchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as Record<string, unknown>;
}

/** The generated validators module `file` under generated/, or undefined when it was not generated. */
export function loadGeneratedValidators(file: string): GeneratedValidators | undefined {
  try {
    return require(`../generated/${file}`) as GeneratedValidators;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

export function loadAjv(): typeof import('ajv/dist/2020.js') {
  return require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
}
