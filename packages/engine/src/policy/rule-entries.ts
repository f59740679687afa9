/**
 * Policy entries (`spec.rules[i]`) → prepared rule instances: the rule looked up in the catalog,
 * `with:` validated against the rule's JSON Schema (schema defaults filled in), then the rule's
 * own `prepare` run once. Each entry is prepared once, however many policies inherit it.
 */

import { formatFieldPath, joinFieldPath } from '../documents/field-path.js';
import { describeSchemaErrors } from '../documents/schema-errors.js';
import { didYouMean } from '../documents/suggest.js';
import type { PolicyDocument, RuleEntry } from '../engine-api.js';
import { type Diagnostic, isPullguardError } from '../errors.js';
import type { RuleDefinition } from '../rule-contract.js';
import { canonicalJson } from './canonical-json.js';
import type { RulesById } from './compiled-policy.js';
import { optionValidator } from './option-validator.js';
import { policyDiagnostic } from './policy-diagnostic.js';
import { sha256 } from './sha256.js';

export interface PreparedEntry {
  /** The policy the entry is written in. */
  document: PolicyDocument;
  entry: RuleEntry;
  /** Instance id: the entry's `id`, or its rule id. */
  id: string;
  // biome-ignore lint/suspicious/noExplicitAny: options are typed by each rule definition
  definition: RuleDefinition<any, any>;
  /** What `prepare` returned (or the validated options). */
  options: unknown;
  /** Hash of the entry as written (without its location): part of every instance key. */
  hash: string;
}

export function instanceId(entry: RuleEntry): string {
  return entry.id ?? entry.rule;
}

export function prepareEntry(
  entry: RuleEntry,
  document: PolicyDocument,
  catalog: RulesById,
): { prepared: PreparedEntry | undefined; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const report = (
    code: Diagnostic['code'],
    field: string,
    message: string,
    severity: Diagnostic['severity'] = 'error',
  ) => diagnostics.push(policyDiagnostic(document, code, field, message, severity));
  const failed = () => ({ prepared: undefined, diagnostics });

  const definition = catalog.get(entry.rule);
  if (!definition) {
    const hint = didYouMean(entry.rule, [...catalog.keys()].sort());
    const why =
      hint || (entry.rule.includes('/') ? ': no loaded plugin provides it' : ': not a built-in rule');
    report('POLICY_UNKNOWN_RULE', `${entry.field}.rule`, `unknown rule "${entry.rule}"${why}`);
    return failed();
  }

  const optionsField = `${entry.field}.with`;
  const validate = optionValidator(definition);
  // Validation fills in schema defaults: work on a copy, never on the document.
  const options: unknown = structuredClone(entry.with ?? {});
  if (validate instanceof Error) {
    report(
      'PLUGIN_INVALID',
      entry.field,
      `rule "${entry.rule}" has an invalid options schema: ${validate.message}`,
    );
    return failed();
  }
  if (validate === undefined && entry.with !== undefined && Object.keys(entry.with as object).length > 0) {
    report('POLICY_BAD_OPTIONS', optionsField, `rule "${entry.rule}" takes no options`);
    return failed();
  }
  if (validate && !validate(options)) {
    for (const problem of describeSchemaErrors(validate.errors ?? [], options)) {
      report(
        'POLICY_BAD_OPTIONS',
        joinFieldPath(optionsField, formatFieldPath(problem.path)),
        problem.message,
      );
    }
    return failed();
  }

  const { field: _field, location: _location, ...written } = entry;
  let prepared: unknown = options;
  if (definition.prepare) {
    try {
      prepared = definition.prepare(
        options,
        { policy: document.name, location: entry.location, field: optionsField, entry: written },
        (problem) => {
          const base = problem.scope === 'entry' ? entry.field : optionsField;
          report(
            problem.code ?? 'POLICY_BAD_OPTIONS',
            joinFieldPath(base, problem.field),
            problem.message,
            problem.severity ?? 'error',
          );
        },
      );
    } catch (error) {
      if (isPullguardError(error)) {
        report(error.code, joinFieldPath(optionsField, error.field), error.message);
      } else {
        const message = error instanceof Error ? error.message : String(error);
        report('POLICY_BAD_OPTIONS', optionsField, `rule "${entry.rule}" rejected its options: ${message}`);
      }
      return failed();
    }
  }
  if (diagnostics.some((d) => d.severity === 'error')) return failed();
  const hash = sha256(canonicalJson(written));
  return {
    prepared: { document, entry, id: instanceId(entry), definition, options: prepared, hash },
    diagnostics,
  };
}
