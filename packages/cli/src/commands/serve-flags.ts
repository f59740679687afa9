import { SERVER_FLAGS, type ServerFlagValues } from '@pullguard/server/flags';
import type { Option } from 'commander';
import { givenFlags, tableOptions } from '../config/table-options.js';

/**
 * The server's own flags as commander options, generated from the server's flag table (names,
 * help, defaults and environment variables, validation; the registry flags included): `pullguard
 * serve` declares none of them itself. The flags every policy command has (`--policy`,
 * `--plugin`, `--namespaces-file`, `--well-known-kinds`, `--rule-timeout`) come from program.ts
 * and are passed on by serve.ts.
 */
export function serverOptions(): Option[] {
  return tableOptions(SERVER_FLAGS);
}

/** The values of the server's own flags among commander's options (keys are the table's). */
export function givenServerFlags(options: Readonly<Record<string, unknown>>): Partial<ServerFlagValues> {
  return givenFlags(SERVER_FLAGS, options);
}
