import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ManifestLoadOptions, PullguardError, WELL_KNOWN_POD_SPEC_PATHS } from '@pullguard/engine';
import type { RegistrySettings } from '@pullguard/registry';
import type { LevelWithSilent } from 'pino';
import { FlagError, parseFlagArgs, resolveFlags } from './flags/flag-spec.js';
import {
  SERVER_FLAGS,
  SERVER_FLAGS_HELP,
  type ServerFlagValues,
  type UNKNOWN_LABELS_MODES,
} from './flags/server-flags.js';

/** Where namespace labels come from, and what admission does while a namespace's are unknown. */
export interface NamespaceLabelsConfig {
  /** The namespaces file (re-read when it changes). */
  file: string | undefined;
  /** List + watch Namespaces through the Kubernetes API (`kubeconfig` undefined: in-cluster). */
  kubernetes: { kubeconfig: string | undefined } | undefined;
  /** Believe Namespace admission reviews, from clients with a certificate `tls.clientCaFile` issued. */
  learnFromReviews: boolean;
  /** Admission while a namespace's labels are unknown and a policy selects namespaces by label. */
  unknown: (typeof UNKNOWN_LABELS_MODES)[number];
}

/** Everything `startServer` needs, from flags and environment (`loadServerConfig`, `serverConfig`). */
export interface ServerConfig {
  host: string;
  /** 0 picks a free port (the URL `startServer` returns has the real one). */
  port: number;
  policyPaths: string[];
  plugins: string[];
  namespaces: NamespaceLabelsConfig;
  /** Result cache: most entries (0 disables it; default DEFAULT_CACHE_SIZE) and time to live. */
  cacheSize: number;
  cacheTtlMs: number | undefined;
  /**
   * Serve HTTPS with these PEM files (both or neither); re-read when they change. With
   * `clientCaFile`, admission reviews must come over a connection whose client certificate it issued.
   */
  tls: { certFile: string; keyFile: string; clientCaFile: string | undefined } | undefined;
  /** Admin token (from PULLGUARD_ADMIN_TOKEN or --admin-token-file); undefined disables admin endpoints. */
  adminToken: string | undefined;
  bodyLimitBytes: number;
  /** Evaluation deadline, and how long a client may take to send a request, ms. */
  requestTimeoutMs: number;
  failureMode: 'closed' | 'open';
  /** Watch policy files (and the namespaces file, TLS files) and reload on change. */
  watch: boolean;
  /** Debounce for file changes, ms. */
  watchDebounceMs: number;
  /** How often watched files are compared by content (a backstop for missed file events), ms. */
  watchIntervalMs: number;
  logLevel: LevelWithSilent;
  /** Base for relative paths. */
  cwd: string;
  /** How a rule call may take before it fails with RULE_TIMEOUT (the engine's default when undefined). */
  ruleTimeoutMs: number | undefined;
  /**
   * How objects are read (the kinds that embed a pod spec beyond the core ones, limits): the same
   * options `pullguard check` takes from its config file, so that a Knative Service the CI checks is
   * not waved through at admission.
   */
  manifests: Omit<ManifestLoadOptions, 'file'>;
  /**
   * How registry rules and digest pinning ask registries (docs/registry.md): the registry flags,
   * with the lookup budget inside admission (`registryTimeout`, ms) always set.
   */
  registry: RegistrySettings & { registryTimeout: number };
}

/** A registry lookup's budget inside admission, unless `--registry-timeout` says otherwise. */
export const ADMISSION_REGISTRY_TIMEOUT_MS = 2_000;

/**
 * Reads the configuration from command-line flags (first) and environment variables. Throws
 * PullguardError CONFIG_INVALID naming the flag when a value is wrong. The admin token is read
 * from the environment or a file, never from a flag (flags are visible in `ps`).
 */
export function loadServerConfig(
  argv: readonly string[] = process.argv.slice(2),
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
): ServerConfig {
  return asConfigError(() => serverConfig(parseFlagArgs(SERVER_FLAGS, argv), env, cwd), true);
}

/**
 * The configuration from flag values already parsed (e.g. by `pullguard serve`'s commander,
 * whose options come from the same table), completed from the environment and the defaults.
 */
export function serverConfig(
  given: Partial<ServerFlagValues>,
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
): ServerConfig {
  return asConfigError(() => fromFlags(resolveFlags(SERVER_FLAGS, given, env), env, cwd), false);
}

function fromFlags(
  flags: ServerFlagValues,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): ServerConfig {
  if (flags.policy.length === 0) {
    throw new FlagError(
      '--policy',
      'no policy paths: give --policy <file or directory> (or PULLGUARD_POLICIES)',
    );
  }
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) {
    throw new FlagError(
      flags.tlsCert === undefined ? '--tls-cert' : '--tls-key',
      'give both --tls-cert and --tls-key, or neither',
    );
  }
  if (flags.clientCa !== undefined && flags.tlsCert === undefined) {
    throw new FlagError('--client-ca', 'client certificates need TLS: give --tls-cert and --tls-key too');
  }
  if (flags.learnNamespaces && flags.clientCa === undefined) {
    throw new FlagError(
      '--learn-namespaces',
      'anyone who can reach the port could send a Namespace review: give --client-ca so that only the API server is believed',
    );
  }
  if (flags.watchNamespaces && flags.namespacesFile !== undefined) {
    throw new FlagError(
      '--watch-namespaces',
      'the Kubernetes API is the source of namespace labels: give --namespaces-file or --watch-namespaces, not both',
    );
  }
  if (flags.watchNamespaces && flags.learnNamespaces) {
    throw new FlagError(
      '--learn-namespaces',
      'with --watch-namespaces the Kubernetes API already has every namespace’s labels; learning from reviews is not needed',
    );
  }
  if (flags.kubeconfig !== undefined && !flags.watchNamespaces) {
    throw new FlagError('--kubeconfig', 'is read only with --watch-namespaces');
  }
  if (flags.registryTimeout !== undefined && flags.registryTimeout >= flags.requestTimeout) {
    throw new FlagError(
      '--registry-timeout',
      `must be shorter than --request-timeout (${flags.requestTimeout} ms), so that a registry too slow to answer is judged by the policies' onRegistryError rather than failing the whole evaluation`,
    );
  }
  return {
    host: flags.host,
    port: flags.port,
    policyPaths: flags.policy,
    plugins: flags.plugin,
    namespaces: {
      file: flags.namespacesFile,
      kubernetes: flags.watchNamespaces ? { kubeconfig: flags.kubeconfig } : undefined,
      learnFromReviews: flags.learnNamespaces,
      unknown: flags.unknownLabels,
    },
    cacheSize: flags.cacheSize,
    cacheTtlMs: flags.cacheTtl,
    tls:
      flags.tlsCert !== undefined && flags.tlsKey !== undefined
        ? { certFile: flags.tlsCert, keyFile: flags.tlsKey, clientCaFile: flags.clientCa }
        : undefined,
    adminToken: adminToken(flags.adminTokenFile, env, cwd),
    bodyLimitBytes: flags.bodyLimit,
    requestTimeoutMs: flags.requestTimeout,
    failureMode: flags.failureMode,
    watch: flags.watch,
    watchDebounceMs: 250,
    watchIntervalMs: flags.watchInterval,
    logLevel: flags.logLevel,
    cwd,
    ruleTimeoutMs: flags.ruleTimeout,
    manifests: flags.wellKnownKinds ? { podSpecPaths: WELL_KNOWN_POD_SPEC_PATHS } : {},
    registry: {
      registryAuth: flags.registryAuth,
      registryCa: flags.registryCa,
      plainHttp: flags.plainHttp,
      registryTimeout:
        flags.registryTimeout ?? Math.min(ADMISSION_REGISTRY_TIMEOUT_MS, flags.requestTimeout / 2),
      digestTtl: flags.digestTtl,
      offline: flags.offline,
    },
  };
}

function adminToken(
  file: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): string | undefined {
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolve(cwd, file), 'utf8');
    } catch (error) {
      throw new FlagError(
        '--admin-token-file',
        `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      );
    }
    const token = text.trim();
    if (token === '') throw new FlagError('--admin-token-file', `${file} is empty`);
    return token;
  }
  const token = env['PULLGUARD_ADMIN_TOKEN']?.trim();
  return token === '' ? undefined : token;
}

/** FlagError → PullguardError CONFIG_INVALID naming the flag (with the help text for command-line mistakes). */
function asConfigError<T>(read: () => T, withHelp: boolean): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof FlagError)) throw error;
    const unknownFlag = withHelp && /^Unknown option|^Option .* argument missing/.test(error.reason);
    throw new PullguardError(
      'CONFIG_INVALID',
      unknownFlag ? `${error.message}\n\n${SERVER_FLAGS_HELP}` : error.message,
      { field: error.flag },
    );
  }
}
