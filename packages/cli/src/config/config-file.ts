import { dirname, resolve } from 'node:path';
import type { ManifestLimits } from '@pullguard/engine';
import { parseUserDocument } from '@pullguard/engine/internals';
import type { CheckFormat, FailOn } from '../format/formats.js';
import { readUserFile } from './read-user-file.js';
import { RULE_TIMEOUT_EXPECTED } from './rule-timeout.js';
import { userFileCheck } from './user-file-schemas.js';

/**
 * `--config FILE` (and `.pullguard/config.yaml`, found automatically): the settings a team
 * commits once instead of repeating flags. Paths are relative to the config file. Its JSON Schema,
 * packages/cli/schemas/config.schema.json, says what each field takes; every mistake is a
 * CONFIG_INVALID error at its line and column.
 *
 * ```yaml
 * # yaml-language-server: $schema=https://pullguard.dev/schemas/config.schema.json
 * policies: [policies/]          # files or directories
 * plugins: [./plugins/acme.js]   # paths (relative to this file) or package names
 * namespace: default             # for objects without metadata.namespace
 * namespacesFile: namespaces.yaml
 * failOn: deny                   # deny | warn | never
 * format: table                  # table | compact | json | sarif | junit | github
 * cache: { max: 50000 }          # or `false`
 * ruleTimeoutMs: 1000            # how long an async (plugin) rule may run
 * manifests:                     # extra workload kinds and loader limits
 *   wellKnownKinds: true         # Knative, Argo Rollouts, OpenKruise (WELL_KNOWN_POD_SPEC_PATHS)
 *   podSpecPaths: { example.com/Worker: spec.template.spec }   # or [spec, template, spec]
 *   limits: { maxDocumentBytes: 3145728, maxFileBytes: 134217728, maxAliases: 1000, maxDepth: 100 }
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

/**
 * The `manifests` section: which extra kinds carry a pod spec (`group/Kind` or `Kind` → path
 * segments), and the loader's limits. Passed to the manifest loader and the engine (settings.ts).
 */
export interface ManifestSection {
  wellKnownKinds: boolean | undefined;
  podSpecPaths: Record<string, string[]>;
  limits: ManifestLimits;
}

/** The config as written: the schema has checked every field. */
interface WrittenConfig {
  policies?: string | string[];
  plugins?: string | string[];
  namespace?: string;
  namespacesFile?: string;
  failOn?: FailOn;
  format?: CheckFormat;
  cache?: { max?: number; ttlMs?: number } | false;
  ruleTimeoutMs?: number;
  manifests?: {
    wellKnownKinds?: boolean;
    podSpecPaths?: Record<string, string | string[]>;
    limits?: ManifestLimits;
  };
}

const CONFIG_CHECK = userFileCheck('config', (error, path) =>
  // The flag and the config take the same values and say so in the same words.
  path.length === 1 && path[0] === 'ruleTimeoutMs' && error.keyword !== 'required'
    ? `must be ${RULE_TIMEOUT_EXPECTED} (found ${JSON.stringify(error.data)})`
    : undefined,
);

/** Paths given in a file are relative to it. */
export function resolvePaths(dir: string, paths: string | string[] | undefined): string[] {
  return ([] as string[]).concat(paths ?? []).map((path) => resolve(dir, path));
}

/** Plugins given as paths (`./x.js`, `/abs/x.js`) are relative to the file; package names stay as they are. */
export function resolvePlugins(dir: string, specifiers: string | string[] | undefined): string[] {
  return ([] as string[])
    .concat(specifiers ?? [])
    .map((specifier) => (specifier.startsWith('.') ? resolve(dir, specifier) : specifier));
}

export function parseConfig(text: string, file: string): CliConfig {
  const document = parseUserDocument(text, file, {
    code: 'CONFIG_INVALID',
    what: 'config file',
    check: CONFIG_CHECK,
    empty: {},
  });
  const written = document.value as WrittenConfig;
  const dir = dirname(resolve(file));
  const manifests = written.manifests ?? {};
  return {
    file,
    policies: resolvePaths(dir, written.policies),
    plugins: resolvePlugins(dir, written.plugins),
    namespace: written.namespace,
    namespacesFile: written.namespacesFile === undefined ? undefined : resolve(dir, written.namespacesFile),
    failOn: written.failOn,
    format: written.format,
    cache: written.cache,
    ruleTimeoutMs: written.ruleTimeoutMs,
    manifests: {
      wellKnownKinds: manifests.wellKnownKinds,
      podSpecPaths: Object.fromEntries(
        Object.entries(manifests.podSpecPaths ?? {}).map(([kind, path]) => [
          kind,
          typeof path === 'string' ? path.split('.') : path,
        ]),
      ),
      limits: manifests.limits ?? {},
    },
  };
}

export async function loadConfig(file: string): Promise<CliConfig> {
  return parseConfig(await readUserFile(file, 'CONFIG_INVALID', 'config file'), file);
}
