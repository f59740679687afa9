/**
 * The corpus of real manifests beside the repository (`../shared/corpus/real`, read in place, never
 * copied in). CI has it; a user's clone does not, and the README's test command must still pass
 * there: tests that need the corpus then show up as one skipped test whose name says why, with a
 * notice on the console, instead of failing or vanishing. Imported by the tests of every package
 * that reads the corpus (engine, cli, bench).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

export const SHARED_CORPUS_DIR = fileURLToPath(new URL('../shared/corpus/real', import.meta.url));
export const HAS_SHARED_CORPUS = existsSync(SHARED_CORPUS_DIR);
/** The name of the skipped test that stands for corpus tests when the corpus is absent. */
export const CORPUS_SKIPPED = '../shared/corpus not found — skipped';

function notice(what: string): void {
  console.warn(`pullguard: ${what}: ${CORPUS_SKIPPED} (no ${SHARED_CORPUS_DIR}; CI runs these tests)`);
}

/** `describe` for a suite that reads the corpus; without it, one skipped test named CORPUS_SKIPPED. */
export function describeWithCorpus(name: string, body: () => void): void {
  if (HAS_SHARED_CORPUS) {
    describe(name, body);
    return;
  }
  notice(name);
  describe(name, () => {
    it.skip(CORPUS_SKIPPED, () => {});
  });
}

/** `it` for one test that reads the corpus; without it, skipped under a name that says so. */
export function itWithCorpus(name: string, body: () => Promise<void> | void, timeoutMs?: number): void {
  if (HAS_SHARED_CORPUS) {
    it(name, body, timeoutMs);
    return;
  }
  notice(name);
  it.skip(`${name} (${CORPUS_SKIPPED})`, () => {});
}
