import { readFileSync } from 'node:fs';
import { type LoadOptions, load } from 'js-yaml';
import { describe, expect, it, vi } from 'vitest';
import { PullguardError } from '../errors.js';
import { assertParserState, JS_YAML_VERSION } from './parser-state.js';

const enginePackage = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
};

/** js-yaml as 4.1.0 behaves for the loader: no `depth` in the state, no `maxDepth` option. */
const likeJsYaml410 = (text: string, options: LoadOptions) => {
  const { listener, maxDepth: _ignored, ...rest } = options as LoadOptions & { maxDepth?: number };
  return load(text, {
    ...rest,
    ...(listener && {
      listener: (event: 'open' | 'close', state: object) =>
        listener.call(state as never, event, { ...state, depth: undefined } as never),
    }),
  });
};

describe('the js-yaml parser state the manifest loader reads', () => {
  it('is pinned: package.json names exactly the version the loader is written against', () => {
    expect(enginePackage.dependencies['js-yaml']).toBe(JS_YAML_VERSION);
  });

  it('is there in the installed js-yaml', () => {
    expect(() => assertParserState()).not.toThrow();
  });

  it('stops the engine at start-up, naming the version found and the one needed, when it is missing', () => {
    const error = (() => {
      try {
        assertParserState(likeJsYaml410, () => '4.1.0');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PullguardError);
    expect((error as PullguardError).message).toBe(
      `pullguard's manifest loader needs js-yaml ${JS_YAML_VERSION}, whose parser state it reads, but js-yaml 4.1.0 is installed (\`depth\` is not tracked; the \`maxDepth\` option is ignored): install js-yaml@${JS_YAML_VERSION}`,
    );
  });

  it('is checked when the loader module loads, before any manifest is read', async () => {
    vi.resetModules();
    vi.doMock('js-yaml', async (importOriginal) => ({
      ...(await importOriginal<typeof import('js-yaml')>()),
      load: likeJsYaml410,
    }));
    try {
      await expect(import('./yaml-parse.js')).rejects.toThrow(/needs js-yaml .*`depth` is not tracked/);
    } finally {
      vi.doUnmock('js-yaml');
      vi.resetModules();
    }
  });
});
