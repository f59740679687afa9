import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { serverOptions } from './commands/serve-flags.js';
import { parseRuleTimeout, RULE_TIMEOUT_EXPECTED } from './config/rule-timeout.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { CHECK_FORMATS, DRIFT_FORMATS, FAIL_ON, MIN_ACTION } from './format/formats.js';
import { registryOptions } from './registry/flags.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** --policy, --plugin, --config, --namespace, --namespaces-file: how every command finds its policies. */
function policyOptions(command: Command): Command {
  return command
    .option(
      '--policy <path>',
      'policy file or directory (repeatable; default: .pullguard/ if present, else the bundled baseline)',
      collect,
    )
    .option('--plugin <specifier>', 'plugin module: a path or a package name (repeatable)', collect)
    .option(
      '--config <file>',
      'config file naming policies, plugins, defaults (default: .pullguard/config.yaml)',
    )
    .option('--namespace <name>', 'namespace for objects without one (default: "default")')
    .option('--namespaces-file <file>', 'YAML/JSON file of namespace labels, for namespaceSelector');
}

/** `--rule-timeout <ms>`: validated while parsing, so a bad value is a usage error (exit 2). */
function ruleTimeoutOption(): Option {
  return new Option(
    '--rule-timeout <ms>',
    "how long an async (plugin) rule may run, in ms (default 1000, or the config's ruleTimeoutMs)",
  ).argParser((text: string) => {
    const ms = parseRuleTimeout(text);
    if (ms === undefined) throw new InvalidArgumentError(`must be ${RULE_TIMEOUT_EXPECTED}.`);
    return ms;
  });
}

/** `--labels` (check, explain): one namespace's labels, as `kubectl label` writes them. */
function labelsOption(): Option {
  return new Option(
    '--labels <k=v,...>',
    "the --namespace namespace's labels, for namespaceSelector (over --namespaces-file)",
  );
}

const wellKnownKindsHelp =
  'also check Knative Services, Argo Rollouts and OpenKruise workloads (config: manifests.wellKnownKinds)';

function formatOption(choices: readonly string[], fallback?: string): Option {
  const option = new Option('--format <format>', 'output format').choices(choices);
  return fallback === undefined ? option : option.default(fallback);
}

export function buildProgram(outcome: { code: ExitCode }): Command {
  const program = new Command('pullguard')
    .description('Image pull policy as code for Kubernetes')
    .version(version(), '-v, --version')
    .showSuggestionAfterError()
    // `explain --format` and `explain image --format` are different options: parse each where it is written.
    .enablePositionalOptions()
    .exitOverride();

  const setCode = (code: ExitCode) => {
    outcome.code = code;
  };

  registryOptions(
    policyOptions(
      program
        .command('check')
        .description('check manifests against the policies (files, directories, or - for stdin)')
        .argument('[paths...]', 'files or directories (.yaml, .yml, .json, recursively); - reads stdin'),
    ),
  )
    .addOption(labelsOption())
    .addOption(formatOption(CHECK_FORMATS))
    .option(
      '-o, --output <file>',
      'write the report to a file instead of stdout (the summary still goes to stderr)',
    )
    .addOption(new Option('--fail-on <action>', 'which findings fail the run (exit 1)').choices(FAIL_ON))
    .addOption(
      new Option('--min-action <action>', 'show only findings of this action or a stronger one').choices(
        MIN_ACTION,
      ),
    )
    .option(
      '--allow-empty',
      'exit 0 when the inputs hold no workloads (default: exit 2, nothing was checked)',
    )
    .option('--strict-labels', 'a namespaceSelector that cannot be judged (labels unknown) is an error')
    .option(
      '--render',
      'render kustomizations and Helm charts found in directories (kubectl kustomize, helm template)',
    )
    .option('--no-color', 'no colors (also: NO_COLOR=1, or when stdout is not a terminal)')
    .option('-q, --quiet', 'no progress bar, no warnings and no summary on stderr')
    .option('--well-known-kinds', wellKnownKindsHelp)
    .addOption(ruleTimeoutOption())
    .addHelpText(
      'after',
      '\nExit codes: 0 nothing blocking, 1 blocking findings (per --fail-on), 2 usage error or something\ncould not be loaded (every problem is printed on stderr as file:line:column: CODE message).',
    )
    .action(async (paths: string[], options, cmd: Command) => {
      const { runCheck } = await import('./commands/check.js');
      setCode(await runCheck(paths, { ...options, version: cmd.parent?.version() ?? '' }));
    });

  const explain = policyOptions(
    program
      .command('explain')
      .description(
        'explain which policies govern a namespace (--namespace), or what kubelet does with an image',
      )
      .addOption(labelsOption())
      .enablePositionalOptions(),
  )
    .addOption(formatOption(['text', 'json'], 'text'))
    .action(async (options) => {
      const { runExplainNamespace } = await import('./commands/explain-namespace.js');
      setCode(await runExplainNamespace(options));
    });
  explain
    .command('image')
    .description('parse an image reference and explain each pull policy for it')
    .argument('<reference>', 'image reference, e.g. nginx:1.27 or ghcr.io/acme/app@sha256:…')
    .addOption(formatOption(['text', 'json'], 'text'))
    .action(async (reference: string, options) => {
      const { runExplainImage } = await import('./commands/explain-image.js');
      setCode(await runExplainImage(reference, options));
    });

  registryOptions(
    policyOptions(
      program
        .command('fix')
        .description(
          'set an explicit imagePullPolicy where a rule asks for one; with --pin-digests, pin every image to the digest its tag names now',
        )
        .argument('[paths...]', 'files or directories to fix'),
    ),
  )
    .option('--write', 'rewrite the files in place')
    .option('--diff', 'print a unified diff and change nothing')
    .option(
      '--pin-digests',
      'rewrite image: name:tag to name:tag@sha256:… (asks the registry; a file with an image that cannot be pinned stays as it is, exit 2)',
    )
    .option('--well-known-kinds', wellKnownKindsHelp)
    .action(async (paths: string[], options) => {
      const { runFix } = await import('./commands/fix.js');
      setCode(await runFix(paths, options));
    });

  registryOptions(
    program
      .command('drift')
      .description(
        'compare running Pods with their tags now: kubectl get pods -A -o json | pullguard drift - (exit 1 when a container drifted)',
      )
      .argument('[paths...]', 'files or directories of Pods with status; - reads stdin'),
  )
    .addOption(formatOption(DRIFT_FORMATS, 'table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--no-color', 'no colors')
    .addHelpText(
      'after',
      '\nStates: current (runs what the tag names now), drifted (the tag moved since the image was pulled),\npinned (the spec names a digest), unknown (and why).\nExit codes: 0 nothing drifted, 1 a container drifted, 2 usage error, unreadable input, or a tag the\nregistry could not be asked about.',
    )
    .action(async (paths: string[], options) => {
      const { runDrift } = await import('./commands/drift.js');
      setCode(await runDrift(paths, options));
    });

  registryOptions(
    program
      .command('test')
      .description('run policy tests (*.pullguard-test.yaml) like kyverno test / gator verify')
      .argument('[dir]', 'directory (or one test file) to run; default: .pullguard/ if present, else .'),
  )
    .addOption(formatOption(['text', 'junit'], 'text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--no-color', 'no colors')
    .addOption(ruleTimeoutOption())
    .option(
      '--config <file>',
      'config file whose manifests section the tests read objects with (default: .pullguard/config.yaml)',
    )
    .option('--well-known-kinds', wellKnownKindsHelp)
    .action(async (dir: string | undefined, options) => {
      const { runPolicyTests } = await import('./commands/test.js');
      setCode(await runPolicyTests(dir, options));
    });

  const serve = policyOptions(
    program.command('serve').description('start the REST API and admission webhook server'),
  );
  for (const option of serverOptions()) serve.addOption(option);
  serve.option('--well-known-kinds', wellKnownKindsHelp).addOption(ruleTimeoutOption());
  serve.action(async (options) => {
    const { runServe } = await import('./commands/serve.js');
    setCode(await runServe(options));
  });

  // `export <target>`: policies as other enforcement points. Each target is its own subcommand
  // with its own module, loaded only when run.
  const exportGroup = program
    .command('export')
    .description(
      'print Kubernetes objects: the policies as ValidatingAdmissionPolicies (vap), the webhook deployment (deploy)',
    );
  policyOptions(
    exportGroup
      .command('vap')
      .description(
        'print ValidatingAdmissionPolicies and bindings that enforce the static rules in the API server',
      ),
  )
    .option('-o, --output <file>', 'write the objects to a file instead of stdout')
    .option('--fail-on-unexported', 'exit 2, printing nothing, when a rule cannot be exported')
    .option('--now <date>', 'judge exemption expiry at this date or date-time instead of now')
    .option('--well-known-kinds', wellKnownKindsHelp)
    .addHelpText(
      'after',
      '\nRules that cannot run in CEL (plugins, registry rules, mutations, JSON Logic it cannot translate)\nare listed on stderr as `not exported: policy/rule: why`. Exit codes: 0 exported, 2 usage or\nload error, or something not exported with --fail-on-unexported.',
    )
    .action(async (options, cmd: Command) => {
      const { runExportVap } = await import('./commands/export-vap.js');
      setCode(await runExportVap({ ...options, version: cmd.parent?.parent?.version() ?? '' }));
    });

  exportGroup
    .command('deploy')
    .description(
      'print everything that runs the admission webhooks in a cluster (namespace, RBAC, policies, Deployment, Service, PDB, TLS, webhook configurations)',
    )
    .addOption(
      new Option('--namespace <name>', "the webhook's own namespace (excluded from its webhooks)").default(
        'pullguard-system',
      ),
    )
    .option('--policy <path>', 'policy file or directory (repeatable; default as for check)', collect)
    .option('--plugin <specifier>', 'refused: plugins are code, built into an image', collect)
    .option('--config <file>', 'config file naming policies (default: .pullguard/config.yaml)')
    .addOption(
      new Option('--replicas <n>', 'webhook replicas (spread over nodes and zones)')
        .default(3)
        .argParser((text: string) => {
          if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 100)
            throw new InvalidArgumentError('must be an integer from 1 to 100.');
          return Number(text);
        }),
    )
    .option('--image <image>', 'the pullguard image (default: ghcr.io/pullguard/pullguard:<version>)')
    .addOption(
      new Option(
        '--cert-manager',
        'TLS from cert-manager: Issuers, Certificates, CA injection (default)',
      ).conflicts('selfSigned'),
    )
    .option('--self-signed', 'TLS from a CA and certificate made now, in a Secret; caBundle filled in')
    .option('--with-vap', 'add the static rules as ValidatingAdmissionPolicies (export vap)')
    .option('--now <date>', 'the clock for certificates and exemption expiry (default: now)')
    .option('--well-known-kinds', wellKnownKindsHelp)
    .option('-o, --output <file>', 'write the objects to a file instead of stdout')
    .addHelpText(
      'after',
      '\nApply in two steps, so that no request reaches the webhook before it is ready (docs/operations.md).\nExit codes: 0 printed, 2 usage or policy error.',
    )
    .action(async (options, cmd: Command) => {
      const { runExportDeploy } = await import('./commands/export-deploy.js');
      setCode(await runExportDeploy({ ...options, version: cmd.parent?.parent?.version() ?? '' }));
    });

  program
    .command('playground')
    .description('write the playground page (also served by `serve` at /playground) as static files')
    .requiredOption('--out <dir>', 'the folder to write it to (created if missing)')
    .option('--force', 'overwrite an existing playground in that folder')
    .option('--docs-url <url>', 'where rule links point (docs/policies.md#<rule> under it; default ../docs/)')
    .action(async (options) => {
      const { runPlayground } = await import('./commands/playground.js');
      setCode(await runPlayground(options));
    });

  program
    .command('init')
    .description('write a starter .pullguard/ (commented baseline policy, config file, one policy test)')
    .option('--force', 'overwrite existing files')
    .option('--dir <dir>', 'where to create .pullguard/', '.')
    .action(async (options) => {
      const { runInit } = await import('./commands/init.js');
      setCode(await runInit(options));
    });

  return program;
}

/** Parses argv and runs one command; returns the exit code (never calls process.exit). */
export async function run(argv: readonly string[]): Promise<ExitCode> {
  const outcome = { code: EXIT.ok as ExitCode };
  const program = buildProgram(outcome);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return outcome.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every other commander error is a usage error (exit 2).
      return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    // Loaded only on failure: the engine's error classes are not needed on the happy path of --help.
    const { exitCodeForError, reportError } = await import('./report-error.js');
    reportError(error);
    return exitCodeForError(error);
  }
}
