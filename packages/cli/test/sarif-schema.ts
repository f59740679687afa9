import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ajvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/**
 * The official SARIF 2.1.0 JSON Schema (OASIS, final "rtm.5" revision, JSON Schema draft-04), as
 * shipped by @microsoft/jest-sarif. Returns the validation errors of `log` (empty = valid).
 */
export function sarifSchemaErrors(log: unknown): string[] {
  const require = createRequire(import.meta.url);
  const path = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  // unicodeRegExp off: the schema's language pattern has a stray `]` that only non-unicode regexps accept.
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
