/**
 * The PolicyReport CRDs as published, read from `../shared/schemas/reports/` beside the repository
 * (never copied into it). CI has them; a user's clone does not: tests that need them then show up
 * as one skipped test whose name says why, with a notice on the console (as vitest.corpus.ts does
 * for the corpus).
 *
 * Validation is stricter than the API server's in one way, on purpose: a field the schema does not
 * declare is an error here, where the API server would silently prune it (structural schemas drop
 * unknown fields) — a report must not lose what pullguard wrote.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ajvModule, { type ValidateFunction } from 'ajv';
import { describe, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from './helpers.js';

export const REPORT_SCHEMAS_DIR = join(REPO_ROOT, '..', 'shared', 'schemas', 'reports');
export const HAS_REPORT_SCHEMAS = existsSync(REPORT_SCHEMAS_DIR);
const SKIPPED = '../shared/schemas/reports not found — skipped';

/** `describe` for a suite that needs the CRDs; without them, one skipped test named SKIPPED. */
export function describeWithReportSchemas(name: string, body: () => void): void {
  if (HAS_REPORT_SCHEMAS) {
    describe(name, body);
    return;
  }
  console.warn(`pullguard: ${name}: ${SKIPPED} (no ${REPORT_SCHEMAS_DIR}; CI runs these tests)`);
  describe(name, () => {
    it.skip(SKIPPED, () => {});
  });
}

/** Every object schema that declares its properties and does not preserve unknown fields: closed. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) out[key] = closed(value);
  if (
    out['properties'] !== undefined &&
    out['additionalProperties'] === undefined &&
    out['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    out['additionalProperties'] = false;
  }
  return out;
}

const ajv = new ajvModule.default({ strict: false, allErrors: true });
ajv.addFormat('int32', {
  type: 'number',
  validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31,
});
ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });

const validators = new Map<string, ValidateFunction>();

/**
 * The validator of `apiVersion` `kind` (e.g. wgpolicyk8s.io/v1alpha2 PolicyReport): the served
 * version's openAPIV3Schema of the CRD in REPORT_SCHEMAS_DIR whose group and kind match.
 */
export function reportValidator(apiVersion: string, kind: string): ValidateFunction {
  const key = `${apiVersion} ${kind}`;
  let validate = validators.get(key);
  if (validate) return validate;
  const [group, version] = apiVersion.split('/') as [string, string];
  for (const file of [
    'wgpolicyk8s.io_v1alpha2_policyreports.yaml',
    'wgpolicyk8s.io_v1alpha2_clusterpolicyreports.yaml',
    'openreports.io_v1alpha1_reports.yaml',
    'openreports.io_v1alpha1_clusterreports.yaml',
  ]) {
    const crd = parse(readFileSync(join(REPORT_SCHEMAS_DIR, file), 'utf8'));
    if (crd.spec.group !== group || crd.spec.names.kind !== kind) continue;
    const served = crd.spec.versions.find(
      (v: { name: string; served: boolean }) => v.name === version && v.served,
    );
    if (!served) throw new Error(`${file} does not serve ${version}`);
    validate = ajv.compile(closed(served.schema.openAPIV3Schema) as object);
    validators.set(key, validate);
    return validate;
  }
  throw new Error(`no CRD for ${key} in ${REPORT_SCHEMAS_DIR}`);
}

/** The schema errors of a report object, as `path message` lines (empty when valid). */
export function reportSchemaErrors(report: { apiVersion: string; kind: string }): string[] {
  const validate = reportValidator(report.apiVersion, report.kind);
  return validate(report) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
