import { dirname, isAbsolute, resolve } from 'node:path';
import { CHECK_FORMATS, type CheckFormat, FAIL_ON, type FailOn } from '../format/formats.js';
import {
  type LocatedYaml,
  parseLocatedYaml,
  readChoice,
  readOptionalString,
  readRecord,
  readStringList,
} from './located-yaml.js';
import { type ManifestSection, readManifestSection } from './manifest-options.js';
import { readUserFile } from './read-user-file.js';
import { isRuleTimeout, RULE_TIMEOUT_EXPECTED } from './rule-timeout.js';

/**
 * `--config FILE` (and `.pullguard/config.yaml`, found automatically): the settings a team
 * commits once instead of repeating flags. Paths are relative to the config file.
 *
 * ```yaml
 * policies: [policies/]          # files or directories
 * plugins: [./plugins/acme.js]   # paths (relative to this file) or package names
 * namespace: default             # for objects without metadata.namespace
 * namespacesFile: namespaces.yaml
 * failOn: deny                   # deny | warn | never
 * format: table                  # table | compact | json | sarif | junit | github
 * cache: { max: 50000 }          # or `false`
 * ruleTimeoutMs: 1000            # how long an async (plugin) rule may run
 * manifests:                     # extra workload kinds and loader limits (manifest-options.ts)
 *   wellKnownKinds: true
 *   podSpecPaths: { example.com/Worker: spec.template.spec }
 * ```
 */
export interface CliConfig {
  file: string;
  policies: string[];
  plugins: string[];
  namespace: string | undefined;
  namespacesFile: string | undefined;
  failOn: FailOn | undefined;
  format: CheckFormat | undefined;
  cache: { max?: number; ttlMs?: number } | false | undefined;
  ruleTimeoutMs: number | undefined;
  manifests: ManifestSection;
}

const KEYS = [
  'policies',
  'plugins',
  'namespace',
  'namespacesFile',
  'failOn',
  'format',
  'cache',
  'ruleTimeoutMs',
  'manifests',
] as const;

/** A plugin given as a path is resolved against the config's directory; package names stay as they are. */
function resolvePluginSpecifier(dir: string, specifier: string): string {
  return specifier.startsWith('.') || isAbsolute(specifier) ? resolve(dir, specifier) : specifier;
}

export function parseConfig(text: string, file: string): CliConfig {
  const src: LocatedYaml = parseLocatedYaml(text, file, 'CONFIG_INVALID');
  const raw = readRecord(src, src.value ?? {}, [], KEYS);
  const dir = dirname(resolve(file));
  let cache: CliConfig['cache'];
  if (raw.cache === false) cache = false;
  else if (raw.cache !== undefined) {
    const c = readRecord(src, raw.cache, ['cache'], ['max', 'ttlMs']);
    cache = {};
    for (const key of ['max', 'ttlMs'] as const) {
      const v = c[key];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
        src.fail(['cache', key], `cache.${key} must be a non-negative integer`);
      }
      cache[key] = v;
    }
  }
  const namespacesFile = readOptionalString(src, raw.namespacesFile, ['namespacesFile']);
  if (raw.ruleTimeoutMs !== undefined && !isRuleTimeout(raw.ruleTimeoutMs)) {
    src.fail(['ruleTimeoutMs'], `ruleTimeoutMs must be ${RULE_TIMEOUT_EXPECTED}`);
  }
  return {
    file,
    policies: readStringList(src, raw.policies, ['policies']).map((p) => resolve(dir, p)),
    plugins: readStringList(src, raw.plugins, ['plugins']).map((p) => resolvePluginSpecifier(dir, p)),
    namespace: readOptionalString(src, raw.namespace, ['namespace']),
    namespacesFile: namespacesFile === undefined ? undefined : resolve(dir, namespacesFile),
    failOn: readChoice(src, raw.failOn, ['failOn'], FAIL_ON),
    format: readChoice(src, raw.format, ['format'], CHECK_FORMATS),
    cache,
    ruleTimeoutMs: raw.ruleTimeoutMs,
    manifests: readManifestSection(src, raw.manifests, ['manifests']),
  };
}

export async function loadConfig(file: string): Promise<CliConfig> {
  return parseConfig(await readUserFile(file, 'CONFIG_INVALID', 'config file'), file);
}
