import { describe, expect, it } from 'vitest';
import { validatorSources } from '../policy/validator-sources.js';
import { generatedValidator } from './precompiled-validators.js';

describe('generated validators', () => {
  const sources = validatorSources();

  it('exist for the PullPolicy schema and every built-in rule that takes options', () => {
    const names = sources.flatMap((source) => Object.keys(source.schemas));
    expect(names).toEqual(expect.arrayContaining(['PullPolicy', 'require-digest', 'allowed-registries']));
    for (const source of sources) {
      for (const [name, schema] of Object.entries(source.schemas)) {
        expect(generatedValidator(source.file, name, schema), `${source.file} ${name}`).toBeTypeOf(
          'function',
        );
      }
    }
  });

  it('are not used for a schema other than the one they were generated from', () => {
    const options = sources[1]!;
    const [name, schema] = Object.entries(options.schemas)[0]!;
    expect(generatedValidator(options.file, name, { ...schema, minProperties: 1 })).toBeUndefined();
    expect(generatedValidator(options.file, 'acme/unknown', schema)).toBeUndefined();
    expect(generatedValidator('missing.cjs', name, schema)).toBeUndefined();
  });
});
