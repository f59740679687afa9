import { resolveSettings, type Settings } from '../config/settings.js';
import { setUpEngine } from '../engine-setup.js';
import { EXIT, type ExitCode, UsageError } from '../exit-codes.js';
import { renderNamespaceExplanation } from '../explain/render-namespace.js';

export interface ExplainNamespaceOptions {
  policy?: string[];
  plugin?: string[];
  config?: string;
  namespace?: string;
  namespacesFile?: string;
  labels?: string;
  format?: 'text' | 'json';
}

/** `pullguard explain --namespace NS [--labels k=v,…]`: which policies and rules govern NS, and why. */
export async function runExplainNamespace(options: ExplainNamespaceOptions): Promise<ExitCode> {
  if (options.namespace === undefined) {
    throw new UsageError('explain needs --namespace NS (which policies govern it) or `explain image REF`');
  }
  const settings = await resolveSettings(options, process.cwd());
  const { engine, namespaceLabels } = await setUpEngine(settings, process.cwd(), {
    // Explaining evaluates nothing: no registry is asked.
    resolver: undefined,
  });
  // --labels reaches the engine set-up as the labels of --namespace, over the namespaces file's.
  const explanation = engine.explain(options.namespace, namespaceLabels[options.namespace]);
  process.stdout.write(
    options.format === 'json'
      ? `${JSON.stringify(explanation, null, 2)}\n`
      : `${describeOrigin(settings)}\n${renderNamespaceExplanation(explanation)}`,
  );
  return EXIT.ok;
}

/** Where the policies came from: the first thing to check when an explanation surprises. */
function describeOrigin(settings: Settings): string {
  const from = {
    flag: '--policy',
    config: `the config file ${settings.config?.file ?? ''}`,
    project: 'the project directory',
    bundled: 'the bundled baseline (no --policy, config file or .pullguard/)',
  }[settings.policyOrigin];
  const paths = settings.policyOrigin === 'bundled' ? '' : ` ${settings.policies.join(', ')}`;
  return `policies from ${from}:${paths}`.replace(/:$/, '');
}
