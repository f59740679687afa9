// The error-handling example of docs/sdk.md, run by doc-snippets.test.ts.
// #region errors
import {
  createEngine,
  formatDiagnostic,
  isPullguardError,
  loadPolicies,
  PullguardAggregateError,
} from '@pullguard/sdk';
// #endregion errors

export async function startEngine(policyDir: string) {
  // #region errors
  try {
    return createEngine({ policies: await loadPolicies([policyDir]) });
  } catch (error) {
    // loadPolicies reports files that do not parse or match the schema; createEngine what does not
    // compile (unknown rules, bad options, extends cycles) — each with file, line and column.
    if (error instanceof PullguardAggregateError)
      for (const d of error.diagnostics) console.error(formatDiagnostic(d));
    else if (isPullguardError(error)) console.error(formatDiagnostic(error.toDiagnostic()));
    else throw error;
    return undefined;
  }
  // #endregion errors
}
