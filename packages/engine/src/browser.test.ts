import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';
import { moduleGraph } from './__fixtures__/module-graph.js';
import * as browser from './browser.js';
import * as index from './index.js';
import { sha256 as browserSha256 } from './policy/sha256.browser.js';
import { sha256 } from './policy/sha256.js';

describe('the browser entry', () => {
  it('is part of the public API: every export is the very same as index.ts exports', () => {
    const names = Object.keys(browser);
    expect(names.length).toBeGreaterThan(20);
    const differ = names.filter(
      (name) => (browser as Record<string, unknown>)[name] !== (index as Record<string, unknown>)[name],
    );
    expect(differ).toEqual([]);
  });

  it('reaches no Node built-in once package.json `browser` swaps the Node modules for their twins', () => {
    const node = new Set(builtinModules);
    const reached = (browserBuild: boolean) =>
      [...moduleGraph(new URL('./browser.ts', import.meta.url), { browser: browserBuild }).outside].filter(
        (s) => s.startsWith('node:') || node.has(s.split('/')[0]!),
      );
    expect(reached(true)).toEqual([]);
    // Without the swaps it would: the map is what makes the entry browser-safe.
    expect(reached(false).sort()).toEqual(['node:crypto', 'node:fs', 'node:module']);
  });

  it('hashes exactly as Node does (policy fingerprints and cache keys are equal in both)', () => {
    for (const parts of [
      [],
      [''],
      ['a'],
      ['a', 'b'],
      ['ab'],
      ['é', '日本', '🙂'],
      ['x'.repeat(100_000), 'y'],
    ]) {
      expect(browserSha256(...parts)).toBe(sha256(...parts));
    }
  });
});
