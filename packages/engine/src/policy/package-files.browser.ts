/**
 * package-files.ts in the browser build (package.json `browser`): the generated validators are
 * bundled (the build generates them before anything bundles the engine), and the PullPolicy
 * schema is the one they were generated from. ajv is not bundled: every schema the engine checks
 * in a browser — the PullPolicy schema and the built-in rules' options — has a generated
 * validator, and plugins (whose option schemas ajv would compile) do not run there.
 */

import { GENERATED_FILES, type GeneratedValidators } from '../documents/precompiled-validators.js';
import { PullguardError } from '../errors.js';
import options from '../generated/builtin-option-validators.cjs';
import policy from '../generated/pullpolicy-validator.cjs';

export function readPolicySchema(): Record<string, unknown> {
  return JSON.parse(policy.schemas['PullPolicy'] ?? 'null') as Record<string, unknown>;
}

export function loadGeneratedValidators(file: string): GeneratedValidators | undefined {
  if (file === GENERATED_FILES.policy) return policy;
  return file === GENERATED_FILES.options ? options : undefined;
}

export function loadAjv(): never {
  throw new PullguardError(
    'INTERNAL',
    'this schema has no validator generated at build time, and the browser build of pullguard compiles none at run time',
  );
}
