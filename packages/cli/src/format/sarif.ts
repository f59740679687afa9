import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Action, Diagnostic, Finding } from '@pullguard/engine';
import type * as Sarif from 'sarif';
import { type CheckFormatter, type CheckResult, displayPath } from './check-result.js';

/**
 * `--format sarif`: SARIF 2.1.0 as GitHub code scanning ingests it
 * (https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/sarif-v2.1.0-os.html; tested against the
 * official 2.1.0-rtm.5 JSON Schema). One rule descriptor per rule id, results with a physical
 * location relative to the working directory (uriBaseId %SRCROOT%), level by action; active
 * exemptions become SARIF suppressions (code scanning shows them as dismissed).
 */
const LEVEL: Record<Action, Sarif.Result.level> = { deny: 'error', warn: 'warning', audit: 'note' };
const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/pullguard/pullguard';

/** SARIF artifact URIs are URI references: percent-encode what a path may contain. */
function artifactLocation(file: string | undefined, cwd: string): Sarif.ArtifactLocation {
  const shown = displayPath(file, cwd);
  if (isAbsolute(shown)) return { uri: pathToFileURL(shown).href };
  return { uri: encodeURI(shown).replaceAll('#', '%23').replaceAll('?', '%3F'), uriBaseId: '%SRCROOT%' };
}

function ruleDescriptors(result: CheckResult): Sarif.ReportingDescriptor[] {
  const known = new Map(result.rules.map((r) => [r.id, r]));
  // Expression rules report their entry's id, which the catalog does not list: describe them by their message.
  const ids = new Set([...known.keys(), ...result.report.findings.map((f) => f.rule)]);
  return [...ids].sort().map((id) => {
    const rule = known.get(id);
    const finding = rule ? undefined : result.report.findings.find((f) => f.rule === id);
    const description = rule?.description ?? finding?.message ?? id;
    const help = rule?.hint ?? finding?.hint ?? description;
    return {
      id,
      name: id,
      shortDescription: { text: description },
      fullDescription: { text: description },
      help: { text: help, markdown: help },
      defaultConfiguration: { level: LEVEL[rule?.defaultAction ?? finding?.action ?? 'deny'] },
      properties: { source: rule?.source ?? 'expression', tags: ['kubernetes', 'container-images'] },
    };
  });
}

function sarifLocation(location: Finding['location'], cwd: string): Sarif.Location {
  return {
    physicalLocation: {
      artifactLocation: artifactLocation(location?.file, cwd),
      region: { startLine: location?.line ?? 1, startColumn: location?.column ?? 1 },
    },
  };
}

function sarifResult(f: Finding, ruleIndex: number, cwd: string): Sarif.Result {
  const hint = f.hint ? ` ${f.hint}` : '';
  return {
    ruleId: f.rule,
    ruleIndex,
    level: LEVEL[f.action],
    message: {
      text: `${f.workload.kind}/${f.workload.name} container ${f.container.name}: ${f.message}${hint}`,
    },
    locations: [sarifLocation(f.location, cwd)],
    // Stable across line moves: code scanning tracks the alert rather than opening a new one.
    partialFingerprints: {
      'pullguard/v1': [
        f.rule,
        f.namespace,
        f.workload.kind,
        f.workload.name,
        f.container.name,
        f.image.raw,
      ].join('|'),
    },
    ...(f.exemption?.status === 'active'
      ? {
          suppressions: [
            {
              kind: 'external',
              status: 'accepted',
              justification: [f.exemption.reason, f.exemption.owner && `owner: ${f.exemption.owner}`]
                .filter(Boolean)
                .join('; '),
            },
          ],
        }
      : {}),
    properties: {
      policy: f.policy,
      action: f.action,
      namespace: f.namespace,
      image: f.image.raw,
      pullPolicy: f.pullPolicy.effective,
      pointer: f.pointer,
    },
  };
}

function notification(d: Diagnostic, cwd: string): Sarif.Notification {
  return {
    level: d.severity === 'error' ? 'error' : 'warning',
    message: { text: `${d.code} ${d.message}` },
    descriptor: { id: d.code },
    ...(d.location ? { locations: [sarifLocation(d.location, cwd)] } : {}),
  };
}

export const formatSarif: CheckFormatter = (result, ctx) => {
  const rules = ruleDescriptors(result);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const { report } = result;
  const log: Sarif.Log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'pullguard', informationUri: INFORMATION_URI, version: ctx.version, rules } },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: [...report.errors, ...report.warnings].map((d) =>
              notification(d, ctx.cwd),
            ),
          },
        ],
        results: report.findings.map((f) => sarifResult(f, index.get(f.rule) ?? 0, ctx.cwd)),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};
