import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ManifestLoadOptions, WELL_KNOWN_POD_SPEC_PATHS } from '@pullguard/engine';
import { parseLabels } from '../explain/labels.js';
import type { CliRegistrySettings, RegistryFlags } from '../registry/flags.js';
import { readRegistrySettings } from '../registry/resolver.js';
import { type CliConfig, loadConfig } from './config-file.js';

/** The options shared by check, fix, explain, test and serve (registry flags: check, fix, drift, test). */
export interface PolicyFlags extends RegistryFlags {
  policy?: string[] | undefined;
  plugin?: string[] | undefined;
  config?: string | undefined;
  namespace?: string | undefined;
  namespacesFile?: string | undefined;
  /** `--well-known-kinds` (check, fix): read Knative, Argo Rollouts and OpenKruise workloads too. */
  wellKnownKinds?: boolean | undefined;
  /** `--rule-timeout` (check), already validated. */
  ruleTimeout?: number | undefined;
  /** `--labels k=v,…` (check, explain): the labels of the `--namespace` namespace. */
  labels?: string | undefined;
}

/** What the manifest loader is told: extra workload kinds and limits. */
export type ManifestOptions = Omit<ManifestLoadOptions, 'file'>;

export type PolicyOrigin = 'flag' | 'config' | 'project' | 'bundled';

export interface Settings {
  config: CliConfig | undefined;
  policies: string[];
  /** Where the policy paths came from (shown by `explain` and in verbose errors). */
  policyOrigin: PolicyOrigin;
  plugins: string[];
  namespace: string;
  namespacesFile: string | undefined;
  /** `--labels`, parsed: the labels of `namespace`, over those of the namespaces file. */
  labels: Record<string, string> | undefined;
  cache: CliConfig['cache'];
  ruleTimeoutMs: number | undefined;
  /** For loadManifestFiles and createEngine alike, so files and engine inputs load the same way. */
  manifests: ManifestOptions;
  /** How registries are asked (or not). */
  registry: CliRegistrySettings;
}

/** The baseline policy shipped inside this package (also what `pullguard init` copies). */
export const BUNDLED_BASELINE = fileURLToPath(new URL('../../policies/baseline.yaml', import.meta.url));

export const PROJECT_DIR = '.pullguard';
export const PROJECT_CONFIG = join(PROJECT_DIR, 'config.yaml');

/**
 * Flags win over the config file; the config file wins over the project directory; the bundled
 * baseline is the last resort. Without `--config`, `.pullguard/config.yaml` is used when present.
 * Project policies are `.pullguard/policies/` when present, else `.pullguard/` itself.
 */
export async function resolveSettings(flags: PolicyFlags, cwd: string): Promise<Settings> {
  const configFile = flags.config ?? (existsSync(join(cwd, PROJECT_CONFIG)) ? PROJECT_CONFIG : undefined);
  const config = configFile === undefined ? undefined : await loadConfig(configFile);
  let policies: string[];
  let policyOrigin: PolicyOrigin;
  if (flags.policy && flags.policy.length > 0) {
    policies = flags.policy;
    policyOrigin = 'flag';
  } else if (config && config.policies.length > 0) {
    policies = config.policies;
    policyOrigin = 'config';
  } else {
    const project = [join(PROJECT_DIR, 'policies'), PROJECT_DIR].find((dir) => existsSync(join(cwd, dir)));
    policies = project ? [project] : [BUNDLED_BASELINE];
    policyOrigin = project ? 'project' : 'bundled';
  }
  const namespacesFile = flags.namespacesFile ?? config?.namespacesFile;
  const registry = readRegistrySettings(flags);
  return {
    config,
    policies,
    policyOrigin,
    plugins: [...(config?.plugins ?? []), ...(flags.plugin ?? [])],
    namespace: flags.namespace ?? config?.namespace ?? 'default',
    namespacesFile,
    labels: flags.labels === undefined ? undefined : parseLabels(flags.labels),
    cache: config?.cache,
    ruleTimeoutMs: flags.ruleTimeout ?? config?.ruleTimeoutMs,
    manifests: manifestOptions(flags, config),
    registry,
  };
}

/**
 * The config's `manifests` section plus `--well-known-kinds`. Kinds the config names explicitly
 * win over the well-known preset; either way, core kinds keep their own paths (the engine never
 * lets a configuration re-route a Deployment).
 */
function manifestOptions(flags: PolicyFlags, config: CliConfig | undefined): ManifestOptions {
  const section = config?.manifests;
  const wellKnown = flags.wellKnownKinds === true || section?.wellKnownKinds === true;
  const podSpecPaths = { ...(wellKnown ? WELL_KNOWN_POD_SPEC_PATHS : {}), ...section?.podSpecPaths };
  return {
    ...(Object.keys(podSpecPaths).length > 0 ? { podSpecPaths } : {}),
    ...(section && Object.keys(section.limits).length > 0 ? { limits: section.limits } : {}),
  };
}
