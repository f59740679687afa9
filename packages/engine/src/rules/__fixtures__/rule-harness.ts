/** Test support: facts for one container written as a manifest, and one rule run as the evaluator runs it. */
import { buildFacts } from '../../evaluate/facts.js';
import { loadManifestObjects } from '../../manifests/load-manifests.js';
import { REGISTRY_NOT_CONSULTED } from '../../registry/registry-facts.js';
import type { Facts, OptionProblem, RegistryFacts, RuleDefinition, RuleViolation } from '../../rule-contract.js';

export interface ContainerSpec {
  imagePullPolicy?: string;
  imagePullSecrets?: string[];
  admitted?: boolean;
  initContainer?: boolean;
  namespace?: string;
  labels?: Record<string, string>;
  /** The workload's kind (default Pod): `Deployment` puts the container in a pod template. */
  kind?: 'Pod' | 'Deployment';
  /** What the registry said (default: not consulted). */
  registry?: Partial<RegistryFacts>;
}

export function factsFor(image: string, spec: ContainerSpec = {}): Facts {
  const container: Record<string, unknown> = { name: 'app', image };
  if (spec.imagePullPolicy !== undefined) container['imagePullPolicy'] = spec.imagePullPolicy;
  const podSpec: Record<string, unknown> = { [spec.initContainer ? 'initContainers' : 'containers']: [container] };
  if (spec.initContainer) podSpec['containers'] = [];
  if (spec.imagePullSecrets) podSpec['imagePullSecrets'] = spec.imagePullSecrets.map((name) => ({ name }));
  const metadata = { name: 'web', namespace: spec.namespace ?? 'prod', labels: spec.labels ?? { app: 'web' } };
  const loaded = loadManifestObjects(
    spec.kind === 'Deployment'
      ? { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { template: { spec: podSpec } } }
      : { apiVersion: 'v1', kind: 'Pod', metadata, spec: podSpec },
  );
  const extracted = loaded.images.find((i) => i.container.name === 'app');
  if (!extracted) throw new Error(`no image extracted: ${JSON.stringify(loaded.errors)}`);
  return buildFacts(
    extracted,
    { name: spec.namespace ?? 'prod', labels: { env: 'prod' } },
    spec.admitted ?? false,
    { ...REGISTRY_NOT_CONSULTED, ...spec.registry },
  );
}

// biome-ignore lint/suspicious/noExplicitAny: any rule definition
type AnyRule = RuleDefinition<any, any>;

/** Runs `prepare` as the compiler does; returns the prepared options and the problems reported. */
export function prepareRule(rule: AnyRule, options: unknown, entry: Record<string, unknown> = {}) {
  const problems: OptionProblem[] = [];
  const prepared = rule.prepare
    ? rule.prepare(options, { policy: 'test', field: 'spec.rules[0].with', entry: { rule: rule.id, ...entry } }, (p) =>
        problems.push(p),
      )
    : options;
  return { prepared, problems };
}

/** The violations `rule` reports for `facts` (synchronous rules only). */
export function violations(rule: AnyRule, facts: Facts, options?: unknown, entry?: Record<string, unknown>): RuleViolation[] {
  const { prepared, problems } = prepareRule(rule, options, entry);
  const errors = problems.filter((p) => p.severity !== 'warning');
  if (errors.length > 0) throw new Error(`options rejected: ${errors.map((p) => p.message).join('; ')}`);
  const outcome = rule.check(facts, {
    options: prepared,
    policy: 'test',
    namespace: facts.namespace.name,
    now: 0,
    signal: new AbortController().signal,
    fail: (message, extra) => ({ message, ...extra }),
  });
  if (outcome instanceof Promise) throw new Error('asynchronous rule');
  if (outcome === undefined) return [];
  return Array.isArray(outcome) ? [...outcome] : [outcome as RuleViolation];
}

/** The messages only: most specifications read best this way. */
export function messages(rule: AnyRule, facts: Facts, options?: unknown, entry?: Record<string, unknown>): string[] {
  return violations(rule, facts, options, entry).map((v) => v.message);
}
