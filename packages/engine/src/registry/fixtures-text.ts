/**
 * Registry fixtures written as YAML (or JSON) text, read with positions: what the playground's
 * Registry editor holds. Every mistake is a CONFIG_INVALID diagnostic at its line and column;
 * the format is createFixtureResolver's (docs/registry.md#fixtures).
 */

import { formatFieldPath } from '../documents/field-path.js';
import { parseYamlDocuments } from '../documents/yaml-source.js';
import type { Diagnostic } from '../errors.js';
import { type RegistryFixtures, registryFixtureProblems } from './fixture-resolver.js';

export interface ParsedRegistryFixtures {
  /** The fixtures, or undefined when the text has none or any mistake (fixtures are all or nothing). */
  fixtures: RegistryFixtures | undefined;
  errors: Diagnostic[];
}

export function parseRegistryFixtures(text: string, file?: string): ParsedRegistryFixtures {
  const parsed = parseYamlDocuments(text, file, { syntaxCode: 'CONFIG_INVALID' });
  const errors = [...parsed.errors];
  const [document, extra] = parsed.documents;
  if (extra !== undefined) {
    errors.push({
      code: 'CONFIG_INVALID',
      message: 'registry fixtures are one mapping: remove the second document',
      location: extra.location,
      severity: 'error',
    });
  }
  const value = document?.value ?? null;
  if (document !== undefined && value !== null) {
    for (const problem of registryFixtureProblems(value)) {
      errors.push({
        code: 'CONFIG_INVALID',
        message: problem.message,
        location: document.locate(problem.path, problem.atKey),
        field: formatFieldPath(problem.path) || undefined,
        severity: 'error',
      });
    }
  }
  parsed.release();
  const fixtures = errors.length === 0 && value !== null ? (value as RegistryFixtures) : undefined;
  return { fixtures, errors };
}
