import { resolveSettings } from '../config/settings.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { SERVER_FLAGS } from './serve-flags.js';

export interface ServeOptions {
  policy?: string[];
  plugin?: string[];
  config?: string;
  namespace?: string;
  namespacesFile?: string;
  [serverFlag: string]: unknown;
}

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * `pullguard serve`: the REST API and admission webhooks, with the same policy resolution as
 * `check` (flags, config file, .pullguard/, bundled baseline). The server is imported only here,
 * so no other command pays for Express.
 */
export async function runServe(options: ServeOptions & { watch?: boolean }): Promise<ExitCode> {
  try {
    return await serve(options);
  } catch (error) {
    // Reported here rather than by program.ts: the bundled binary (scripts/bundle.mjs) runs this
    // module unbundled, with the engine copy the server uses, and only that copy recognizes its
    // errors (PullguardError is checked with instanceof).
    const { exitCodeForError, reportError } = await import('../report-error.js');
    reportError(error);
    return exitCodeForError(error);
  }
}

async function serve(options: ServeOptions & { watch?: boolean }): Promise<ExitCode> {
  const cwd = process.cwd();
  const settings = await resolveSettings(options, cwd);
  const argv = [
    ...settings.policies.flatMap((p) => ['--policy', p]),
    ...settings.plugins.flatMap((p) => ['--plugin', p]),
    ...(settings.namespacesFile ? ['--namespaces-file', settings.namespacesFile] : []),
    ...SERVER_FLAGS.flatMap(([flag]) => {
      const value = options[camel(flag)];
      return value === undefined ? [] : [`--${flag}`, String(value)];
    }),
    ...(options.watch === false ? ['--no-watch'] : []),
  ];
  const { loadServerConfig, startServer } = await import('@pullguard/server');
  const { resolveHostModules } = await import('@pullguard/engine');
  const config = loadServerConfig(argv, process.env, cwd);
  // What `check` reads objects with (the config's manifests section, --well-known-kinds, limits)
  // and its rule deadline: admission must judge the same kinds the same way. No podSpecPaths
  // (the usual case) stays none: the engine then rules out non-core kinds by kind alone.
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
      pluginHostModules: await resolveHostModules(import.meta.url),
    },
  );
  const { url } = server;
  process.stderr.write(`pullguard serving on ${url} (API: ${url}/openapi.json, readiness: ${url}/readyz)\n`);
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
