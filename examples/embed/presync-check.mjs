#!/usr/bin/env node
// @ts-check
/**
 * A GitOps pre-sync check that embeds the pullguard engine: before Argo CD / Flux applies a
 * directory of rendered manifests, evaluate every file against the policies and block the sync
 * (exit 1) when a policy denies something or a manifest does not load.
 *
 *   node examples/embed/presync-check.mjs <dir> --policy examples/policies \
 *     [--plugin ./examples/plugins/team-registry.js] [--namespace default]
 *
 * Namespace objects found anywhere in the directory give their labels to every file, so that
 * `namespaceSelector`s and label-reading plugins see them whatever the file order.
 * Exit codes: 0 sync may proceed, 1 blocked, 2 the check itself could not run.
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createEngine,
  formatDiagnostic,
  loadManifestFiles,
  loadPlugins,
  loadPolicies,
  PullguardAggregateError,
  PullguardError,
} from '@pullguard/sdk';

/** @param {string[]} argv */
async function main(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      policy: { type: 'string', multiple: true },
      plugin: { type: 'string', multiple: true },
      namespace: { type: 'string', default: 'default' },
    },
  });
  if (positionals.length === 0 || !values.policy) {
    console.error(
      'usage: presync-check.mjs <dir>... --policy <file|dir> [--plugin <module>] [--namespace <name>]',
    );
    return 2;
  }

  const policies = await loadPolicies(values.policy);
  const plugins = await loadPlugins(values.plugin ?? [], { cwd: process.cwd() });

  const files = [];
  /** @type {Record<string, Record<string, string>>} */
  const namespaceLabels = {};
  for await (const loaded of loadManifestFiles(positionals)) {
    files.push(loaded);
    for (const ns of loaded.namespaces) namespaceLabels[ns.name] = { ...ns.labels };
  }

  const engine = createEngine({ policies, plugins, namespaceLabels, defaultNamespace: values.namespace });
  let blocked = 0;
  let findings = 0;
  for (const loaded of files) {
    const report = await engine.evaluateLoaded(loaded);
    const name = relative(process.cwd(), loaded.file ?? '<input>');
    for (const error of report.errors) console.log(`  ${formatDiagnostic(error)}`);
    for (const f of report.findings) {
      const where = f.location ? `${name}:${f.location.line}:${f.location.column}` : name;
      const state =
        f.exemption?.status === 'active'
          ? 'exempt'
          : f.status === 'error'
            ? `${f.action} (rule error)`
            : f.action;
      console.log(
        `  ${where}  ${state}  ${f.rule} (${f.policy})  ${f.workload.kind}/${f.workload.name} ${f.container.name}: ${f.message}`,
      );
    }
    findings += report.findings.length;
    // Only `pass` syncs: `fail` is a deny finding, `error` a document that could not be read.
    const verdict = report.verdict === 'pass' ? 'ok' : 'BLOCK';
    if (verdict === 'BLOCK') blocked++;
    console.log(
      `${verdict.padEnd(5)} ${name} (${report.summary.images} images, ${report.findings.length} findings)`,
    );
  }
  console.log(
    `\n${files.length} files, ${findings} findings: ${blocked === 0 ? 'sync may proceed' : `${blocked} file(s) block the sync`}`,
  );
  return blocked === 0 ? 0 : 1;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // Policies or plugins that do not load: say what and where, and do not let the sync through.
  if (error instanceof PullguardAggregateError) console.error(error.message);
  else if (error instanceof PullguardError) console.error(formatDiagnostic(error.toDiagnostic()));
  else console.error(error);
  process.exitCode = 2;
}
