import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type ManifestLoadOptions, PullguardError, WELL_KNOWN_POD_SPEC_PATHS } from '@pullguard/engine';
import type { LevelWithSilent } from 'pino';
import { DEFAULT_APP_CONFIG } from './app.js';

/** Everything `startServer` needs, from flags and environment (`loadServerConfig`). */
export interface ServerConfig {
  host: string;
  /** 0 picks a free port (the URL `startServer` returns has the real one). */
  port: number;
  policyPaths: string[];
  plugins: string[];
  namespacesFile: string | undefined;
  /** Result cache: most entries (0 disables it; default DEFAULT_CACHE_SIZE) and time to live. */
  cacheSize: number;
  cacheTtlMs: number | undefined;
  /** Serve HTTPS with these PEM files (both or neither); re-read when they change. */
  tls: { certFile: string; keyFile: string } | undefined;
  /** Admin token (from PULLGUARD_ADMIN_TOKEN or --admin-token-file); undefined disables admin endpoints. */
  adminToken: string | undefined;
  bodyLimitBytes: number;
  /** Evaluation deadline and HTTP request timeout, ms. */
  requestTimeoutMs: number;
  failureMode: 'closed' | 'open';
  /** Watch policy files (and the namespaces file) and reload on change. */
  watch: boolean;
  /** Debounce for file changes, ms. */
  watchDebounceMs: number;
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
}

export const SERVER_FLAGS_HELP = `pullguard server — REST API and Kubernetes admission webhooks

  --policy <path>            policy file or directory (repeatable)        env PULLGUARD_POLICIES (comma-separated)
  --plugin <module>          rule plugin module (repeatable)             env PULLGUARD_PLUGINS (comma-separated)
  --namespaces-file <path>   namespace labels for namespaceSelector      env PULLGUARD_NAMESPACES_FILE
  --host <host>              listen address (default 127.0.0.1)          env HOST
  --port <port>              listen port, 0 = any free (default 8080)    env PORT
  --tls-cert <file>          PEM certificate: serve HTTPS               env PULLGUARD_TLS_CERT
  --tls-key <file>           PEM private key                            env PULLGUARD_TLS_KEY
  --admin-token-file <file>  admin token for POST /v1/policies/reload   env PULLGUARD_ADMIN_TOKEN (the token itself)
  --cache-size <n>           result cache entries, 0 disables (default 10000)  env PULLGUARD_CACHE_SIZE
  --cache-ttl <duration>     result cache time to live (e.g. 10m)       env PULLGUARD_CACHE_TTL
  --body-limit <size>        largest request body (default 3MiB)        env PULLGUARD_BODY_LIMIT
  --request-timeout <dur>    evaluation deadline (default 10s)          env PULLGUARD_REQUEST_TIMEOUT
  --failure-mode <mode>      closed (default) | open                    env PULLGUARD_FAILURE_MODE
  --rule-timeout <duration>  a rule call's deadline (default 1s)        env PULLGUARD_RULE_TIMEOUT
  --well-known-kinds         also check Knative, Argo Rollouts, OpenKruise workloads  env PULLGUARD_WELL_KNOWN_KINDS=true
  --no-watch                 do not watch policy files                  env PULLGUARD_WATCH=false
  --log-level <level>        fatal|error|warn|info|debug|trace|silent   env PULLGUARD_LOG_LEVEL
`;

/**
 * The server's result cache size. An entry costs about 1.3 KB, plus about 0.4 KB per finding it
 * holds (measured with the bench policy: 2.0 KB for an image with two findings), so 10,000 entries
 * are about 20 MB, where the engine's default of 50,000 made the server's resident set grow past
 * 200 MB. 10,000 distinct (image, pull policy, container kind) combinations per policy plan is
 * more than most clusters run; size it up with --cache-size where they do.
 */
export const DEFAULT_CACHE_SIZE = 10_000;

const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

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
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        policy: { type: 'string', multiple: true },
        plugin: { type: 'string', multiple: true },
        'namespaces-file': { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'admin-token-file': { type: 'string' },
        'cache-size': { type: 'string' },
        'cache-ttl': { type: 'string' },
        'body-limit': { type: 'string' },
        'request-timeout': { type: 'string' },
        'failure-mode': { type: 'string' },
        'rule-timeout': { type: 'string' },
        'well-known-kinds': { type: 'boolean' },
        watch: { type: 'boolean' },
        'no-watch': { type: 'boolean' },
        'log-level': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new PullguardError('CONFIG_INVALID', `${(error as Error).message}\n\n${SERVER_FLAGS_HELP}`);
  }
  const flag = (name: string): string | undefined => values[name] as string | undefined;
  const list = (name: string, envName: string): string[] => {
    const fromFlags = values[name] as string[] | undefined;
    if (fromFlags && fromFlags.length > 0) return fromFlags;
    return (env[envName] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  };

  const policyPaths = list('policy', 'PULLGUARD_POLICIES');
  if (policyPaths.length === 0) {
    throw configError(
      '--policy',
      'no policy paths: give --policy <file or directory> (or PULLGUARD_POLICIES)',
    );
  }
  const certFile = flag('tls-cert') ?? env['PULLGUARD_TLS_CERT'];
  const keyFile = flag('tls-key') ?? env['PULLGUARD_TLS_KEY'];
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw configError(
      certFile === undefined ? '--tls-cert' : '--tls-key',
      'give both --tls-cert and --tls-key, or neither',
    );
  }
  const failureMode = flag('failure-mode') ?? env['PULLGUARD_FAILURE_MODE'] ?? 'closed';
  if (failureMode !== 'closed' && failureMode !== 'open') {
    throw configError('--failure-mode', `expected "closed" or "open", got "${failureMode}"`);
  }
  const logLevel = flag('log-level') ?? env['PULLGUARD_LOG_LEVEL'] ?? 'info';
  if (!LOG_LEVELS.has(logLevel)) throw configError('--log-level', `unknown level "${logLevel}"`);
  const cacheSize = optional(flag('cache-size') ?? env['PULLGUARD_CACHE_SIZE'], (v) =>
    integer(v, '--cache-size', 0),
  );
  const cacheTtl = optional(flag('cache-ttl') ?? env['PULLGUARD_CACHE_TTL'], (v) =>
    duration(v, '--cache-ttl'),
  );
  // Which kinds admission judges: a value it cannot read is an error, never a silent "off".
  const wellKnownEnv = env['PULLGUARD_WELL_KNOWN_KINDS'] ?? '';
  if (!['', 'true', '1', 'false', '0'].includes(wellKnownEnv)) {
    throw configError(
      '--well-known-kinds',
      `PULLGUARD_WELL_KNOWN_KINDS must be true or false, got "${wellKnownEnv}"`,
    );
  }
  const wellKnownKinds =
    values['well-known-kinds'] === true || wellKnownEnv === 'true' || wellKnownEnv === '1';
  const watchEnv = env['PULLGUARD_WATCH'];
  const watch =
    values['no-watch'] === true
      ? false
      : values['watch'] === true
        ? true
        : watchEnv !== 'false' && watchEnv !== '0';

  return {
    host: flag('host') ?? env['HOST'] ?? '127.0.0.1',
    port: integer(flag('port') ?? env['PORT'] ?? '8080', '--port', 0, 65535),
    policyPaths,
    plugins: list('plugin', 'PULLGUARD_PLUGINS'),
    namespacesFile: flag('namespaces-file') ?? env['PULLGUARD_NAMESPACES_FILE'],
    cacheSize: cacheSize ?? DEFAULT_CACHE_SIZE,
    cacheTtlMs: cacheTtl,
    tls: certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : undefined,
    adminToken: adminToken(flag('admin-token-file') ?? env['PULLGUARD_ADMIN_TOKEN_FILE'], env, cwd),
    bodyLimitBytes:
      optional(flag('body-limit') ?? env['PULLGUARD_BODY_LIMIT'], (v) => size(v, '--body-limit')) ??
      DEFAULT_APP_CONFIG.bodyLimitBytes,
    requestTimeoutMs:
      optional(flag('request-timeout') ?? env['PULLGUARD_REQUEST_TIMEOUT'], (v) =>
        duration(v, '--request-timeout'),
      ) ?? DEFAULT_APP_CONFIG.timeoutMs,
    failureMode,
    watch,
    watchDebounceMs: 250,
    logLevel: logLevel as LevelWithSilent,
    cwd,
    ruleTimeoutMs: optional(flag('rule-timeout') ?? env['PULLGUARD_RULE_TIMEOUT'], (v) =>
      duration(v, '--rule-timeout'),
    ),
    manifests: wellKnownKinds ? { podSpecPaths: WELL_KNOWN_POD_SPEC_PATHS } : {},
  };
}

function adminToken(
  file: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
) {
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolve(cwd, file), 'utf8');
    } catch (error) {
      throw configError(
        '--admin-token-file',
        `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      );
    }
    const token = text.trim();
    if (token === '') throw configError('--admin-token-file', `${file} is empty`);
    return token;
  }
  const token = env['PULLGUARD_ADMIN_TOKEN']?.trim();
  return token === '' ? undefined : token;
}

function optional<T>(value: string | undefined, parse: (v: string) => T): T | undefined {
  return value === undefined || value === '' ? undefined : parse(value);
}

function integer(value: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw configError(flag, `expected an integer from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `250ms`, `10s`, `5m`, `1h`, or a plain number of milliseconds. */
export function duration(value: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) throw configError(flag, `expected a duration like 500ms, 10s or 5m, got "${value}"`);
  const ms = Number(m[1]) * DURATION_UNITS[m[2] ?? 'ms']!;
  if (ms <= 0) throw configError(flag, 'must be more than 0');
  return Math.round(ms);
}

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1000, kib: 1024, mb: 1000 ** 2, mib: 1024 ** 2 };

/** `3MiB`, `512kb`, or a plain number of bytes. */
export function size(value: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib)?$/i.exec(value.trim());
  if (!m) throw configError(flag, `expected a size like 3MiB or 512KiB, got "${value}"`);
  const bytes = Math.floor(Number(m[1]) * SIZE_UNITS[(m[2] ?? 'b').toLowerCase()]!);
  if (bytes <= 0) throw configError(flag, 'must be more than 0');
  return bytes;
}

function configError(flag: string, message: string): PullguardError {
  return new PullguardError('CONFIG_INVALID', `${flag}: ${message}`, { field: flag });
}
