import { readFile } from 'node:fs/promises';
import { type ErrorCode, PullguardError } from '@pullguard/engine';

/**
 * The text of a file a user names (config, namespaces, registry fixtures, policy tests). One that
 * cannot be read is a `code` error at file:1:1 saying which file it was meant to be.
 */
export async function readUserFile(file: string, code: ErrorCode, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new PullguardError(code, `cannot read the ${what}: ${(error as Error).message}`, {
      location: { file, line: 1, column: 1 },
    });
  }
}
