#!/usr/bin/env node
// `node packages/server/dist/main.js --policy examples/policies`: reads flags and environment,
// serves, and shuts down gracefully on SIGTERM/SIGINT (exit code 0).
import { formatDiagnostic, PullguardAggregateError, PullguardError } from '@pullguard/engine';
import { loadServerConfig } from './config.js';
import { SERVER_FLAGS_HELP } from './flags/server-flags.js';
import { ListenError } from './listen-error.js';
import { startServer } from './server.js';

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(SERVER_FLAGS_HELP);
  process.exit(0);
}

try {
  const config = loadServerConfig(argv);
  const server = await startServer(config);
  const curl = `curl -s${config.tls ? ' --cacert <ca.pem>' : ''}`;
  const example = JSON.stringify({
    namespace: 'prod-a',
    objects: [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web' },
        spec: { containers: [{ name: 'app', image: 'nginx:latest' }] },
      },
    ],
  });
  process.stderr.write(
    `pullguard server listening on ${server.url}\n` +
      `  try: ${curl} ${server.url}/v1/evaluate -H 'Content-Type: application/json' -d '${example}'\n` +
      `   or: ${curl} '${server.url}/v1/evaluate?namespace=prod-a' -H 'Content-Type: application/yaml' --data-binary @deployment.yaml\n` +
      `  API: ${server.url}/openapi.json · ready: ${server.url}/readyz · metrics: ${server.url}/metrics\n`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`pullguard server: ${signal}, closing\n`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (error) {
  if (error instanceof ListenError) {
    process.stderr.write(`${error.message}\n`);
  } else if (error instanceof PullguardAggregateError) {
    process.stderr.write(`pullguard server: ${error.diagnostics.map(formatDiagnostic).join('\n')}\n`);
  } else if (error instanceof PullguardError) {
    process.stderr.write(`pullguard server: ${formatDiagnostic(error.toDiagnostic())}\n`);
  } else {
    process.stderr.write(`pullguard server: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(2);
}
