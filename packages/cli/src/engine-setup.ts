import { readFile } from 'node:fs/promises';
import {
  createEngine,
  type Engine,
  loadPlugins,
  loadPolicies,
  PullguardAggregateError,
  PullguardError,
  parseNamespacesFile,
  resolveHostModules,
} from '@pullguard/engine';
import type { Settings } from './config/settings.js';

export type NamespaceLabels = Record<string, Readonly<Record<string, string>>>;

export interface EngineSetup {
  engine: Engine;
  namespaceLabels: NamespaceLabels;
}

async function readNamespaceLabels(file: string | undefined): Promise<NamespaceLabels> {
  if (file === undefined) return {};
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new PullguardError(
      'CONFIG_INVALID',
      `cannot read the namespaces file: ${(error as Error).message}`,
      {
        location: { file, line: 1, column: 1 },
      },
    );
  }
  const parsed = parseNamespacesFile(text, file);
  if (parsed.errors.length > 0) {
    throw new PullguardAggregateError(
      `${parsed.errors.length} problem(s) in the namespaces file`,
      parsed.errors,
    );
  }
  return parsed.labels;
}

/**
 * Policies, plugins and namespace labels → an engine. Any problem throws (PullguardAggregateError
 * lists all of them with file:line:column): without its policies a run means nothing.
 */
export async function setUpEngine(settings: Settings, cwd: string): Promise<EngineSetup> {
  const [policies, plugins, namespaceLabels] = await Promise.all([
    loadPolicies(settings.policies),
    loadCliPlugins(settings.plugins, cwd),
    readNamespaceLabels(settings.namespacesFile),
  ]);
  const engine = createEngine({
    policies,
    plugins,
    defaultNamespace: settings.namespace,
    namespaceLabels,
    ...(settings.cache === undefined ? {} : { cache: settings.cache }),
    ...(settings.ruleTimeoutMs === undefined ? {} : { ruleTimeoutMs: settings.ruleTimeoutMs }),
    manifests: settings.manifests,
  });
  return { engine, namespaceLabels };
}

/**
 * The plugins, in their worker threads. A plugin that imports `@pullguard/sdk` or
 * `@pullguard/engine` gets this CLI's own copy, so a plugin folder needs no node_modules. (In the
 * bundled binary `import.meta.url` is this file's dist/ path: scripts/bundle.mjs.) One worker: a
 * run evaluates one file after another, and every worker started costs start-up time.
 */
export async function loadCliPlugins(specifiers: readonly string[], cwd: string) {
  if (specifiers.length === 0) return [];
  const hostModules = await resolveHostModules(import.meta.url);
  return loadPlugins(specifiers, { cwd, hostModules, workers: 1 });
}

/** Rule instance ids that govern a namespace (what JUnit reports as test cases), memoized per namespace. */
export function governingRules(
  engine: Engine,
  labels: NamespaceLabels,
): (namespace: string) => readonly string[] {
  const memo = new Map<string, readonly string[]>();
  return (namespace) => {
    let rules = memo.get(namespace);
    if (!rules) {
      const explanation = engine.explain(namespace, labels[namespace]);
      rules = [
        ...new Set(explanation.policies.filter((p) => p.applies).flatMap((p) => p.rules.map((r) => r.id))),
      ];
      memo.set(namespace, rules);
    }
    return rules;
  };
}
