import { type Diagnostic, PullguardError, systemClock } from '@pullguard/engine';
import { createRegistryLookups, listManifestInputs, loadManifestInputs } from '@pullguard/engine/internals';
import { type DriftEntry, driftOf } from '../drift/drift.js';
import { formatDriftJson, formatDriftTable } from '../drift/format.js';
import { EXIT, type ExitCode, UsageError } from '../exit-codes.js';
import type { DriftFormat } from '../format/formats.js';
import { plural } from '../format/table.js';
import { emit, printDiagnostics, useColor } from '../io.js';
import type { RegistryFlags } from '../registry/flags.js';
import { createCliResolver, readRegistrySettings } from '../registry/resolver.js';

export interface DriftOptions extends RegistryFlags {
  format?: DriftFormat;
  output?: string;
  color?: boolean;
}

async function formatDrift(entries: readonly DriftEntry[], options: DriftOptions): Promise<string> {
  switch (options.format ?? 'table') {
    case 'json':
      return formatDriftJson(entries);
    case 'table':
      return formatDriftTable(
        entries,
        options.output === undefined && useColor(process.stdout, options.color),
      );
    case 'policyreport':
    case 'openreports': {
      const [{ driftResults }, reports] = await Promise.all([
        import('../format/policyreport-drift.js'),
        import('../format/policyreport-reports.js'),
      ]);
      const flavor =
        options.format === 'openreports' ? reports.OPENREPORTS_V1ALPHA1 : reports.WGPOLICY_V1ALPHA2;
      return reports.renderReports(
        reports.buildReports(driftResults(entries), { flavor, kind: 'drift', clock: systemClock }),
      );
    }
  }
}

/** Pods' namespace when they name none: what `kubectl get pods` output always names. */
const DEFAULT_NAMESPACE = 'default';

/**
 * `pullguard drift [paths…|-]`: reads Pods with their status (`kubectl get pods -A -o json`),
 * resolves each container's tag now and reports it current, drifted, pinned or unknown. Exit 1
 * when a container drifted; 2 when the input cannot be read, holds no Pod, or the registry could
 * not be asked about a tag (the run cannot vouch for those containers).
 */
export async function runDrift(paths: string[], options: DriftOptions): Promise<ExitCode> {
  if (paths.length === 0) {
    throw new UsageError(
      'give files of Pods, or - to read stdin (e.g. `kubectl get pods -A -o json | pullguard drift -`)',
    );
  }
  const resolver = await createCliResolver(readRegistrySettings(options));
  const lookups = resolver === undefined ? undefined : createRegistryLookups(resolver);
  const entries: DriftEntry[] = [];
  const errors: Diagnostic[] = [];
  const skipped = new Map<string, number>();
  for await (const loaded of loadManifestInputs(listManifestInputs(paths), {})) {
    errors.push(...loaded.errors);
    for (const object of loaded.objects) {
      if (object.kind === 'Pod' && object.apiVersion === 'v1') continue;
      skipped.set(object.kind, (skipped.get(object.kind) ?? 0) + 1);
    }
    entries.push(...(await driftOf(loaded, lookups, DEFAULT_NAMESPACE)));
  }
  printDiagnostics(errors);
  for (const [kind, count] of skipped) {
    process.stderr.write(
      `drift reads Pods with their status: ${plural(count, `${kind} object`)} skipped (kubectl get pods -A -o json gives Pods)\n`,
    );
  }
  const failed = entries.filter((entry) => entry.registryError !== null);
  for (const host of new Set(failed.map((entry) => entry.registryError!.host))) {
    const first = failed.find((entry) => entry.registryError!.host === host)!;
    const count = failed.filter((entry) => entry.registryError!.host === host).length;
    process.stderr.write(
      `REGISTRY_ERROR ${host}: ${first.registryError!.kind}: ${first.registryError!.message} (${first.registryError!.hint}); ${plural(count, 'container')} (${first.image}${count > 1 ? ', …' : ''}) could not be checked\n`,
    );
  }
  if (entries.length === 0 && errors.length === 0) {
    throw new PullguardError(
      'INPUT_READ_FAILED',
      `no Pods found in ${paths.join(', ')}: give Pods with their status (kubectl get pods -A -o json)`,
    );
  }
  await emit(await formatDrift(entries, options), options.output);
  if (errors.length > 0 || failed.length > 0) return EXIT.error;
  return entries.some((entry) => entry.state === 'drifted') ? EXIT.blocking : EXIT.ok;
}
