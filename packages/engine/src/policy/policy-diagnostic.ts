import type { PolicyDocument } from '../engine-api.js';
import type { Diagnostic, ErrorCode } from '../errors.js';

/** A problem at a field of a policy document, located through the document's source map. */
export function policyDiagnostic(
  document: PolicyDocument,
  code: ErrorCode,
  field: string,
  message: string,
  severity: Diagnostic['severity'] = 'error',
): Diagnostic {
  return { code, message, location: document.locate(field) ?? document.location, field, severity };
}
