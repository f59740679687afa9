/**
 * Every flag of the server, once: `pullguard-server` parses these, prints them as its help, and
 * `pullguard serve` registers them with commander (flag-spec.ts generates all three). To add a
 * flag, add an entry here and read its value in config.ts.
 */
import { type FlagValues, flagsHelp, listFlag, switchFlag, valueFlag } from './flag-spec.js';
import { registryFlags } from './registry-flags.js';
import { duration, integer, oneOf, size, text } from './units.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const FAILURE_MODES = ['closed', 'open'] as const;
export const UNKNOWN_LABELS_MODES = ['deny', 'allow'] as const;

/**
 * The server's result cache size. An entry costs about 1.3 KB, plus about 0.4 KB per finding it
 * holds (measured with the bench policy: 2.0 KB for an image with two findings), so 10,000 entries
 * are about 20 MB, where the engine's default of 50,000 made the server's resident set grow past
 * 200 MB. 10,000 distinct (image, pull policy, container kind) combinations per policy plan is
 * more than most clusters run; size it up with --cache-size where they do.
 */
export const DEFAULT_CACHE_SIZE = 10_000;

export const SERVER_FLAGS = {
  policy: listFlag({
    placeholder: '<path>',
    env: 'PULLGUARD_POLICIES',
    help: 'policy file or directory (required)',
    cliShared: true,
  }),
  plugin: listFlag({
    placeholder: '<module>',
    env: 'PULLGUARD_PLUGINS',
    help: 'rule plugin module, loaded once at startup',
    cliShared: true,
  }),
  namespacesFile: valueFlag({
    placeholder: '<path>',
    env: 'PULLGUARD_NAMESPACES_FILE',
    help: 'namespace labels for namespaceSelector: Namespace objects, as `kubectl get namespaces -o yaml` prints them',
    parse: text,
    cliShared: true,
  }),
  watchNamespaces: switchFlag({
    default: false,
    env: 'PULLGUARD_WATCH_NAMESPACES',
    help: 'read namespace labels from the Kubernetes API (list + watch; the in-cluster ServiceAccount, or --kubeconfig)',
  }),
  kubeconfig: valueFlag({
    placeholder: '<file>',
    env: 'PULLGUARD_KUBECONFIG',
    help: 'kubeconfig for --watch-namespaces (default: the in-cluster ServiceAccount)',
    parse: text,
  }),
  unknownLabels: valueFlag({
    placeholder: '<mode>',
    env: 'PULLGUARD_UNKNOWN_LABELS',
    default: 'deny',
    help: "admission while a namespace's labels are unknown and a policy selects namespaces by label: deny | allow (with a warning)",
    parse: oneOf(UNKNOWN_LABELS_MODES),
  }),
  learnNamespaces: switchFlag({
    default: false,
    env: 'PULLGUARD_LEARN_NAMESPACES',
    help: 'learn namespace labels from Namespace admission reviews (needs --client-ca: only the authenticated API server is believed)',
  }),
  host: valueFlag({
    placeholder: '<host>',
    env: 'HOST',
    default: '127.0.0.1',
    help: 'listen address',
    parse: text,
  }),
  port: valueFlag({
    placeholder: '<port>',
    env: 'PORT',
    default: 8080,
    help: 'listen port, 0 = any free port',
    parse: integer(0, 65535),
  }),
  tlsCert: valueFlag({
    placeholder: '<file>',
    env: 'PULLGUARD_TLS_CERT',
    help: 'PEM certificate: serve HTTPS (with --tls-key); re-read when it changes',
    parse: text,
  }),
  tlsKey: valueFlag({
    placeholder: '<file>',
    env: 'PULLGUARD_TLS_KEY',
    help: 'PEM private key',
    parse: text,
  }),
  clientCa: valueFlag({
    placeholder: '<file>',
    env: 'PULLGUARD_CLIENT_CA',
    help: 'PEM CA bundle: admission reviews must come with a client certificate it issued (the API server’s)',
    parse: text,
  }),
  adminTokenFile: valueFlag({
    placeholder: '<file>',
    env: 'PULLGUARD_ADMIN_TOKEN_FILE',
    help: 'file holding the admin token for POST /v1/policies/reload (or the token itself in PULLGUARD_ADMIN_TOKEN)',
    parse: text,
  }),
  cacheSize: valueFlag({
    placeholder: '<n>',
    env: 'PULLGUARD_CACHE_SIZE',
    default: DEFAULT_CACHE_SIZE,
    help: 'result cache entries, 0 disables',
    parse: integer(0),
  }),
  cacheTtl: valueFlag({
    placeholder: '<duration>',
    env: 'PULLGUARD_CACHE_TTL',
    help: 'result cache time to live (e.g. 10m)',
    parse: duration,
  }),
  bodyLimit: valueFlag({
    placeholder: '<size>',
    env: 'PULLGUARD_BODY_LIMIT',
    default: 3 * 1024 * 1024,
    defaultText: '3MiB',
    help: 'largest request body',
    parse: size,
  }),
  requestTimeout: valueFlag({
    placeholder: '<duration>',
    env: 'PULLGUARD_REQUEST_TIMEOUT',
    default: 10_000,
    defaultText: '10s',
    help: "evaluation deadline and how long a client may take to send a request; keep it below the webhook's timeoutSeconds",
    parse: duration,
  }),
  failureMode: valueFlag({
    placeholder: '<mode>',
    env: 'PULLGUARD_FAILURE_MODE',
    default: 'closed',
    help: 'admission evaluations that fail or time out: closed (deny) | open (allow with a warning)',
    parse: oneOf(FAILURE_MODES),
  }),
  // The budget of a registry lookup inside admission: config.ts applies the default, bounded by
  // --request-timeout so that a slow registry is judged by onRegistryError, not the failure mode.
  ...registryFlags('2s, at most half of --request-timeout'),
  ruleTimeout: valueFlag({
    placeholder: '<duration>',
    env: 'PULLGUARD_RULE_TIMEOUT',
    defaultText: '1s',
    help: "a rule call's deadline",
    parse: duration,
    cliShared: true,
  }),
  wellKnownKinds: switchFlag({
    default: false,
    env: 'PULLGUARD_WELL_KNOWN_KINDS',
    help: 'also check Knative, Argo Rollouts and OpenKruise workloads',
    cliShared: true,
  }),
  watch: switchFlag({
    default: true,
    env: 'PULLGUARD_WATCH',
    help: 'do not reload when policy, namespaces or TLS files change',
  }),
  watchInterval: valueFlag({
    placeholder: '<duration>',
    env: 'PULLGUARD_WATCH_INTERVAL',
    default: 10_000,
    defaultText: '10s',
    help: 'how often watched files are compared by content, in case a file event was missed',
    parse: duration,
  }),
  logLevel: valueFlag({
    placeholder: '<level>',
    env: 'PULLGUARD_LOG_LEVEL',
    default: 'info',
    help: LOG_LEVELS.join('|'),
    parse: oneOf(LOG_LEVELS),
  }),
};

export type ServerFlagValues = FlagValues<typeof SERVER_FLAGS>;

export const SERVER_FLAGS_HELP = flagsHelp(
  'pullguard-server — REST API and Kubernetes admission webhooks\n\nUsage: pullguard-server --policy <path> [flags]',
  SERVER_FLAGS,
);
