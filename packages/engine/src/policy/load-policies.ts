/**
 * Policy files and directories → PolicyDocuments. Directories are read recursively for `.yaml`,
 * `.yml` and `.json` files in sorted order (hidden entries and node_modules skipped), so the same
 * tree always loads the same way.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { PolicyDocument, PolicySource } from '../engine-api.js';
import { compareDiagnostics, type Diagnostic, PullguardAggregateError } from '../errors.js';
import { type ParsedPolicies, parsePolicies } from './parse-policies.js';
import type { YamlLimits } from './yaml-source.js';

export interface LoadPoliciesOptions {
  /** Base for relative paths (default: the process's working directory). */
  cwd?: string | undefined;
  limits?: Omit<YamlLimits, 'syntaxCode'> | undefined;
}

const POLICY_FILE = /\.(ya?ml|json)$/i;

/** Reads and parses every policy under `paths`, collecting all problems instead of throwing. */
export async function readPolicies(
  paths: readonly string[],
  options: LoadPoliciesOptions = {},
): Promise<ParsedPolicies> {
  const sources: PolicySource[] = [];
  const errors: Diagnostic[] = [];
  for (const path of paths) {
    const absolute = resolve(options.cwd ?? process.cwd(), path);
    try {
      for (const file of await policyFiles(absolute, path)) {
        sources.push({ file: file.display, text: await readFile(file.absolute, 'utf8') });
      }
    } catch (error) {
      errors.push({
        code: 'POLICY_READ_FAILED',
        message: `cannot read ${path}: ${reason(error)}`,
        location: { file: path, line: 1, column: 1 },
        severity: 'error',
      });
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

async function policyFiles(
  absolute: string,
  display: string,
): Promise<{ absolute: string; display: string }[]> {
  if (!(await stat(absolute)).isDirectory()) return [{ absolute, display }];
  const entries = await readdir(absolute, { withFileTypes: true });
  const files: { absolute: string; display: string }[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const child = { absolute: join(absolute, entry.name), display: join(display, entry.name) };
    if (entry.isDirectory()) files.push(...(await policyFiles(child.absolute, child.display)));
    else if (entry.isFile() && POLICY_FILE.test(entry.name)) files.push(child);
  }
  return files;
}

function reason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
