/**
 * `extends`: a policy reuses the rules (and exemptions) of other policies under its own scope.
 * Resolution is by name across all loaded documents; unknown names and cycles are errors.
 */

import { didYouMeanAmong } from '../documents/suggest.js';
import type { PolicyDocument } from '../engine-api.js';
import type { Diagnostic } from '../errors.js';
import { policyDiagnostic } from './policy-diagnostic.js';

export interface Lineage {
  /** Every policy `name` extends, directly or not, each once, in depth-first `extends` order. */
  ancestors(name: string): readonly PolicyDocument[];
  diagnostics: Diagnostic[];
}

export function resolveExtends(byName: ReadonlyMap<string, PolicyDocument>): Lineage {
  const diagnostics: Diagnostic[] = [];
  const memo = new Map<string, PolicyDocument[]>();
  const reportedCycles = new Set<string>();
  const names = [...byName.keys()].sort();
  const suggestion = didYouMeanAmong(names);

  const visit = (document: PolicyDocument, stack: string[]): PolicyDocument[] => {
    const known = memo.get(document.name);
    if (known) return known;
    const ancestors: PolicyDocument[] = [];
    const add = (d: PolicyDocument) => {
      if (!ancestors.includes(d)) ancestors.push(d);
    };
    document.extends.forEach((baseName, index) => {
      const base = byName.get(baseName);
      const field = `spec.extends[${index}]`;
      if (!base) {
        diagnostics.push(
          policyDiagnostic(
            document,
            'POLICY_UNKNOWN_EXTENDS',
            field,
            `policy "${document.name}" extends "${baseName}", which is not loaded${suggestion(baseName)}`,
          ),
        );
        return;
      }
      const cycleStart = stack.indexOf(baseName);
      if (cycleStart !== -1 || baseName === document.name) {
        const cycle = [
          ...stack.slice(cycleStart === -1 ? stack.length : cycleStart),
          document.name,
          baseName,
        ];
        const key = [...new Set(cycle)].sort().join(' ');
        if (!reportedCycles.has(key)) {
          reportedCycles.add(key);
          diagnostics.push(
            policyDiagnostic(
              document,
              'POLICY_EXTENDS_CYCLE',
              field,
              `policies extend each other in a cycle: ${cycle.join(' → ')}`,
            ),
          );
        }
        return;
      }
      for (const ancestor of visit(base, [...stack, document.name])) add(ancestor);
      add(base);
    });
    memo.set(document.name, ancestors);
    return ancestors;
  };

  for (const name of names) visit(byName.get(name) as PolicyDocument, []);
  return { ancestors: (name) => memo.get(name) ?? [], diagnostics };
}
