/**
 * What the examples' end-to-end tests share: the repository root (every command runs from there,
 * as a user would) and the flags that turn on the example plugins.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const repo = fileURLToPath(new URL('../', import.meta.url));

/** The example policies plus the plugin policy and the two plugins it uses. */
export const EXAMPLE_PLUGIN_FLAGS: readonly string[] = [
  '--policy',
  'examples/policies',
  '--policy',
  'examples/plugins/policy.yaml',
  '--plugin',
  './examples/plugins/team-registry.js',
  '--plugin',
  './examples/plugins/mutable-tag-owner.js',
];

export interface NodeRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node …args` from the repository root; a non-zero exit is a result, not a rejection. */
export function runNode(args: readonly string[]): Promise<NodeRun> {
  return promisify(execFile)(process.execPath, [...args], { cwd: repo }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: NodeRun) => error,
  );
}
