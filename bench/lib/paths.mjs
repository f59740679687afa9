import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(benchDir, '..');
/** The shared real-world corpus, read in place (never copied into the repository). */
export const realCorpusDir = resolve(repoRoot, '../shared/corpus/real');
/** The same directory as written in commands, relative to the repository root. */
export const realCorpusArg = '../shared/corpus/real';
export const benchPolicyFile = join(benchDir, 'policies', 'bench-policy.yaml');
export const cliBin = join(repoRoot, 'packages', 'cli', 'dist', 'bin.js');
