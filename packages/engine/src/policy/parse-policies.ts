/**
 * Policy text → PolicyDocument: YAML/JSON syntax, then the PullPolicy schema, then the checks
 * that need only the document itself. Every problem is collected (nothing stops at the first),
 * each with file, line, column and field. Rule ids and options are checked by the compiler,
 * which knows the rule catalog.
 */

import { formatFieldPath, parseFieldPath } from '../documents/field-path.js';
import type { SchemaProblem } from '../documents/schema-errors.js';
import { parseYamlDocuments, type YamlDocument, type YamlLimits } from '../documents/yaml-source.js';
import type {
  ExemptionSpec,
  LabelSelector,
  PolicyDocument,
  PolicySource,
  RegistryErrorMode,
  RuleEntry,
} from '../engine-api.js';
import { compareDiagnostics, type Diagnostic } from '../errors.js';
import type { Action, SourceLocation } from '../types.js';
import { validatePolicyDocument } from './policy-schema.js';

export const POLICY_API_VERSION = 'pullguard.dev/v1';
export const POLICY_KIND = 'PullPolicy';

export interface ParsedPolicies {
  documents: PolicyDocument[];
  /** Errors and warnings, sorted by file, line and column. */
  errors: Diagnostic[];
}

/** Bounds on the policy text read: largest file (default 8 MiB), most alias dereferences (default 100). */
export type PolicyLimits = Omit<YamlLimits, 'syntaxCode'>;

export function parsePolicies(sources: readonly PolicySource[], limits: PolicyLimits = {}): ParsedPolicies {
  const documents: PolicyDocument[] = [];
  const errors: Diagnostic[] = [];
  for (const source of sources) {
    const parsed = parseYamlDocuments(source.text, source.file, limits);
    errors.push(...parsed.errors);
    for (const yaml of parsed.documents) {
      const problems = checkDocument(yaml);
      if (problems.length > 0) {
        errors.push(...problems.map((problem) => schemaError(yaml, problem)));
        continue;
      }
      const document = toPolicyDocument(yaml, source.file);
      errors.push(...duplicateInstanceIds(document));
      documents.push(document);
    }
    // The documents outlive this call (a compiled set keeps them): they must not keep the trees.
    parsed.release();
  }
  return { documents, errors: errors.sort(compareDiagnostics) };
}

function checkDocument(yaml: YamlDocument): SchemaProblem[] {
  const value = yaml.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [
      { path: [], message: 'a policy document must be a map with apiVersion, kind, metadata and spec' },
    ];
  }
  const { apiVersion, kind } = value as Record<string, unknown>;
  // Say plainly what a foreign document is, instead of listing every field it lacks.
  if (kind !== undefined && kind !== POLICY_KIND) {
    return [
      {
        path: ['kind'],
        message: `kind ${JSON.stringify(kind)} is not allowed in a policy file: only ${POLICY_KIND} documents`,
      },
    ];
  }
  if (apiVersion !== undefined && apiVersion !== POLICY_API_VERSION) {
    return [
      {
        path: ['apiVersion'],
        message: `apiVersion ${JSON.stringify(apiVersion)} is not supported: use ${POLICY_API_VERSION}`,
      },
    ];
  }
  return validatePolicyDocument(value);
}

function schemaError(yaml: YamlDocument, { path, message, atKey }: SchemaProblem): Diagnostic {
  const field = formatFieldPath(path);
  return {
    code: 'POLICY_SCHEMA',
    message,
    location: yaml.locate(path, atKey),
    field: field || undefined,
    severity: 'error',
  };
}

interface ValidSpec {
  namespaces?: string[];
  excludeNamespaces?: string[];
  namespaceSelector?: LabelSelector;
  extends?: string[];
  action?: Action;
  onRegistryError?: RegistryErrorMode;
  rules?: Omit<RuleEntry, 'field' | 'location'>[];
  exemptions?: Omit<ExemptionSpec, 'field' | 'location'>[];
}

/** Builds the document from schema-valid data (the schema guarantees the shapes used here). */
function toPolicyDocument(yaml: YamlDocument, file: string | undefined): PolicyDocument {
  const data = yaml.value as { metadata: { name: string }; spec: ValidSpec };
  const spec = data.spec;
  const at = fieldLocator(yaml.locate);
  return {
    name: data.metadata.name,
    file,
    location: yaml.location,
    // Only a selector given: it alone decides (the name part is "every namespace").
    namespaces: spec.namespaces ?? ['*'],
    excludeNamespaces: spec.excludeNamespaces ?? [],
    namespaceSelector: spec.namespaceSelector,
    extends: spec.extends ?? [],
    action: spec.action ?? 'deny',
    declaredAction: spec.action,
    onRegistryError: spec.onRegistryError,
    rules: (spec.rules ?? []).map((entry, index) => {
      const field = `spec.rules[${index}]`;
      return { ...entry, field, location: at(field) };
    }),
    exemptions: (spec.exemptions ?? []).map((exemption, index) => {
      const field = `spec.exemptions[${index}]`;
      return { ...exemption, field, location: at(field) };
    }),
    locate: at,
  };
}

/**
 * `spec.rules[2]` → its location. The document keeps this function: it must hold only the
 * locator, not the parsed value (a closure over `yaml` would).
 */
function fieldLocator(locate: YamlDocument['locate']): (field: string) => SourceLocation {
  return (field) => locate(parseFieldPath(field));
}

/** Two entries of one policy with the same instance id could not be told apart in findings or exemptions. */
function duplicateInstanceIds(document: PolicyDocument): Diagnostic[] {
  const seen = new Map<string, RuleEntry>();
  const errors: Diagnostic[] = [];
  for (const entry of document.rules) {
    const id = entry.id ?? entry.rule;
    const first = seen.get(id);
    if (!first) {
      seen.set(id, entry);
      continue;
    }
    const field = `${entry.field}.${entry.id === undefined ? 'rule' : 'id'}`;
    errors.push({
      code: 'POLICY_SCHEMA',
      message: `rule instance "${id}" is already defined at ${first.field} (line ${first.location?.line}): give one of them a distinct \`id\``,
      location: document.locate(field),
      field,
      severity: 'error',
    });
  }
  return errors;
}
