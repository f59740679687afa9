import {
  type Action,
  createEngine,
  type Engine,
  loadPlugins,
  loadPolicies,
  type PluginDefinition,
  type PolicyDocument,
  PullguardAggregateError,
  parseNamespacesFile,
  type RegistryResolver,
} from '@pullguard/engine';
import { type CompiledPolicySet, compilePolicies, createRuleCatalog } from '@pullguard/engine/internals';
import { readUserFile } from './config/read-user-file.js';
import type { Settings } from './config/settings.js';
import { pluginHostModules } from './plugin-host.js';
import { createCliResolver } from './registry/resolver.js';

export type NamespaceLabels = Record<string, Readonly<Record<string, string>>>;

export interface EngineSetup {
  engine: Engine;
  /** What the engine was told: the namespaces file, and `--labels` for the `--namespace` namespace. */
  namespaceLabels: NamespaceLabels;
  /** The policies it runs, for notes that point into them (file:line of a namespaceSelector). */
  policies: readonly PolicyDocument[];
  /** Where its registry rules look images up (undefined: offline), for worker threads to share. */
  resolver: RegistryResolver | undefined;
}

async function readNamespaceLabels(file: string | undefined): Promise<NamespaceLabels> {
  if (file === undefined) return {};
  const text = await readUserFile(file, 'CONFIG_INVALID', 'namespaces file');
  const parsed = parseNamespacesFile(text, file);
  if (parsed.errors.length > 0) {
    throw new PullguardAggregateError(
      `${parsed.errors.length} problem(s) in the namespaces file`,
      parsed.errors,
    );
  }
  return parsed.labels;
}

interface Inputs {
  policies: PolicyDocument[];
  plugins: PluginDefinition[];
  namespaceLabels: NamespaceLabels;
}

/** What the settings name: policies, plugins and namespace labels, all read (every problem throws). */
function readInputs(settings: Settings, cwd: string): Promise<Inputs> {
  return Promise.all([
    loadPolicies(settings.policies),
    loadCliPlugins(settings.plugins, cwd),
    readNamespaceLabels(settings.namespacesFile),
  ]).then(([policies, plugins, namespaceLabels]) => ({ policies, plugins, namespaceLabels }));
}

/**
 * Policies, plugins, namespace labels and registry access → an engine. Registry access is what
 * settings.registry says, unless `options` names the resolver (a worker thread's, which asks the
 * main thread's; none for a command that evaluates nothing). Any problem throws
 * (PullguardAggregateError lists all of them with file:line:column): without its policies a run
 * means nothing.
 */
export async function setUpEngine(
  settings: Settings,
  cwd: string,
  options: { resolver?: RegistryResolver | undefined } = {},
): Promise<EngineSetup> {
  const [{ policies, plugins, namespaceLabels: fileLabels }, resolver] = await Promise.all([
    readInputs(settings, cwd),
    'resolver' in options ? options.resolver : createCliResolver(settings.registry),
  ]);
  const namespaceLabels =
    settings.labels === undefined ? fileLabels : { ...fileLabels, [settings.namespace]: settings.labels };
  const engine = createEngine({
    policies,
    plugins,
    defaultNamespace: settings.namespace,
    namespaceLabels,
    ...(settings.cache === undefined ? {} : { cache: settings.cache }),
    ...(settings.ruleTimeoutMs === undefined ? {} : { ruleTimeoutMs: settings.ruleTimeoutMs }),
    manifests: settings.manifests,
    resolver,
  });
  return { engine, namespaceLabels, policies, resolver };
}

/**
 * Policies and plugins → the compiled policy set, for tools that translate it (`export`). Reads
 * the namespaces file too, so a bad one is reported as it is by every other command.
 */
export async function compileSettings(
  settings: Settings,
  cwd: string,
  now: number,
): Promise<CompiledPolicySet> {
  const { policies, plugins } = await readInputs(settings, cwd);
  const result = compilePolicies(policies, createRuleCatalog(plugins).rules, { now });
  if (!result.ok) throw new PullguardAggregateError('the policies do not compile', result.errors);
  return result.set;
}

/**
 * The plugins, in their worker threads. A plugin that imports `@pullguard/sdk` or
 * `@pullguard/engine` gets this CLI's own copy (plugin-host.ts), so a plugin folder needs no
 * node_modules. One worker: a
 * run evaluates one file after another, and every worker started costs start-up time.
 */
export async function loadCliPlugins(specifiers: readonly string[], cwd: string) {
  if (specifiers.length === 0) return [];
  const hostModules = await pluginHostModules();
  return loadPlugins(specifiers, { cwd, hostModules, workers: 1 });
}

/** A rule instance that governs a namespace, and the policy it comes from. */
export interface GoverningRule {
  policy: string;
  /** The instance id findings carry (`require-digest`, an expression entry's `id`). */
  id: string;
  /** The rule it runs (`expression` for an expression entry). */
  rule: string;
  action: Action;
}

/**
 * The rule instances that govern a namespace, per applying policy (what JUnit reports as test
 * cases and policy reports as passes when nothing was found), memoized per namespace.
 */
export function governingRules(
  engine: Engine,
  labels: NamespaceLabels,
): (namespace: string) => readonly GoverningRule[] {
  const memo = new Map<string, readonly GoverningRule[]>();
  return (namespace) => {
    let rules = memo.get(namespace);
    if (!rules) {
      const explanation = engine.explain(namespace, labels[namespace]);
      rules = explanation.policies
        .filter((p) => p.applies)
        .flatMap((p) => p.rules.map((r) => ({ policy: p.name, id: r.id, rule: r.rule, action: r.action })));
      memo.set(namespace, rules);
    }
    return rules;
  };
}
