/**
 * Policy files and directories → PolicyDocuments, found by the engine's one walker
 * (files/walk-files.ts: `.yaml`, `.yml` and `.json` files in name order, hidden entries and
 * node_modules skipped, symbolic links followed — so a mounted ConfigMap reads each key once —
 * loops and unreadable entries reported), so the same tree always loads the same way.
 */
import { resolve } from 'node:path';
import { DEFAULT_MAX_FILE_BYTES } from '../documents/yaml-source.js';
import type { PolicyDocument, PolicySource } from '../engine-api.js';
import { compareDiagnostics, type Diagnostic, PullguardAggregateError } from '../errors.js';
import { type FileReadError, readFailure, readTextFile } from '../files/read-text.js';
import { walkPath } from '../files/walk-files.js';
import { type ParsedPolicies, type PolicyLimits, parsePolicies } from './parse-policies.js';

export interface LoadPoliciesOptions {
  /** Base for relative paths (default: the process's working directory). */
  cwd?: string | undefined;
  limits?: PolicyLimits | undefined;
}

const POLICY_FILE = /\.(ya?ml|json)$/i;
const isPolicyName = (name: string) => POLICY_FILE.test(name);

/** Reads and parses every policy under `paths`, collecting all problems instead of throwing. */
export async function readPolicies(
  paths: readonly string[],
  options: LoadPoliciesOptions = {},
): Promise<ParsedPolicies> {
  const sources: PolicySource[] = [];
  const errors: Diagnostic[] = [];
  const cwd = options.cwd ?? process.cwd();
  const maxBytes = options.limits?.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  for (const path of paths) {
    for await (const entry of walkPath(path, { include: isPolicyName, cwd })) {
      let reason: string;
      if (entry.kind === 'file') {
        try {
          sources.push({ file: entry.path, text: readTextFile(resolve(cwd, entry.path), maxBytes) });
          continue;
        } catch (error) {
          reason = (error as FileReadError).message;
        }
      } else reason = entry.reason;
      errors.push(readFailure('POLICY_READ_FAILED', entry.path, reason));
    }
  }
  const parsed = parsePolicies(sources, options.limits);
  if (
    parsed.documents.length === 0 &&
    !parsed.errors.some((e) => e.severity === 'error') &&
    errors.length === 0
  ) {
    errors.push({
      code: 'POLICY_NONE',
      message: `no PullPolicy documents found in ${paths.length === 0 ? '(no paths given)' : paths.join(', ')}`,
      severity: 'error',
    });
  }
  return { documents: parsed.documents, errors: [...errors, ...parsed.errors].sort(compareDiagnostics) };
}

/** Like readPolicies, but throws one PullguardAggregateError listing every error (warnings do not throw). */
export async function loadPolicies(
  paths: readonly string[],
  options: LoadPoliciesOptions = {},
): Promise<PolicyDocument[]> {
  const { documents, errors } = await readPolicies(paths, options);
  const failures = errors.filter((e) => e.severity === 'error');
  if (failures.length > 0) {
    throw new PullguardAggregateError(`${failures.length} problem(s) in the policies`, failures);
  }
  return documents;
}
