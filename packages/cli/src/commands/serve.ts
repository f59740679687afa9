import { resolveSettings } from '../config/settings.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { givenServerFlags } from './serve-flags.js';

export interface ServeOptions {
  policy?: string[];
  plugin?: string[];
  config?: string;
  namespace?: string;
  namespacesFile?: string;
  wellKnownKinds?: boolean;
  ruleTimeout?: number;
  /** The server's own flags (serve-flags.ts), already parsed and validated by commander. */
  [serverFlag: string]: unknown;
}

/**
 * `pullguard serve`: the REST API and admission webhooks, with the same policy resolution as
 * `check` (flags, config file, .pullguard/, bundled baseline). The server is imported only here,
 * so no other command pays for Express.
 */
export async function runServe(options: ServeOptions): Promise<ExitCode> {
  try {
    return await serve(options);
  } catch (error) {
    // Reported here rather than by program.ts: the bundled binary (scripts/bundle.mjs) runs this
    // module unbundled, with the engine copy the server uses, and only that copy recognizes its
    // errors (PullguardError is checked with instanceof).
    const { ListenError } = await import('@pullguard/server');
    if (error instanceof ListenError) {
      // A busy or forbidden port is a usage problem: one line, no stack.
      process.stderr.write(`${error.message}\n`);
      return EXIT.error;
    }
    const { exitCodeForError, reportError } = await import('../report-error.js');
    reportError(error);
    return exitCodeForError(error);
  }
}

async function serve(options: ServeOptions): Promise<ExitCode> {
  const cwd = process.cwd();
  const settings = await resolveSettings(options, cwd);
  const { serverConfig, startServer } = await import('@pullguard/server');
  const { pluginHostModules } = await import('../plugin-host.js');
  const { playgroundSite } = await import('@pullguard/playground');
  // A typed configuration, completed from the environment and the defaults as the server's own
  // command line is; the flags every policy command shares come resolved as `check` resolves them.
  const config = serverConfig(
    {
      ...givenServerFlags(options),
      policy: settings.policies,
      plugin: settings.plugins,
      namespacesFile: settings.namespacesFile,
      ruleTimeout: settings.ruleTimeoutMs,
    },
    process.env,
    cwd,
  );
  // What `check` reads objects with (the config's manifests section, --well-known-kinds, limits):
  // admission must judge the same kinds the same way. No podSpecPaths (the usual case) stays
  // none: the engine then rules out non-core kinds by kind alone.
  const podSpecPaths = { ...config.manifests.podSpecPaths, ...settings.manifests.podSpecPaths };
  const server = await startServer(
    {
      ...config,
      manifests: {
        ...config.manifests,
        ...settings.manifests,
        ...(Object.keys(podSpecPaths).length > 0 ? { podSpecPaths } : {}),
      },
      ruleTimeoutMs: settings.ruleTimeoutMs ?? config.ruleTimeoutMs,
    },
    {
      // Plugins importing @pullguard/sdk get this CLI's, as they do with `check`.
      pluginHostModules: await pluginHostModules(),
      // The playground page at /playground, on the API's origin.
      site: playgroundSite(),
    },
  );
  const { url } = server;
  process.stderr.write(
    `pullguard serving on ${url} (API: ${url}/openapi.json, readiness: ${url}/readyz, playground: ${url}/playground/)\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return EXIT.ok;
}
