import { PLUGIN_API_VERSION, type RuleContext } from '@pullguard/engine';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { definePlugin, defineRule } from './define.js';

describe('defineRule', () => {
  it('returns the rule it is given', () => {
    const rule = { id: 'acme/x', description: 'x', check: () => undefined };
    expect(defineRule(rule)).toBe(rule);
  });

  it('types ctx.options from the options schema, with required and defaulted properties present', () => {
    defineRule({
      id: 'acme/typed',
      description: 'typed options',
      options: {
        type: 'object',
        properties: {
          annotation: { type: 'string' },
          maxAgeDays: { type: 'integer', default: 30 },
          registries: { type: 'array', items: { type: 'string' } },
          mode: { enum: ['strict', 'lenient'] },
          strict: { type: 'boolean' },
        },
        required: ['annotation'],
      },
      check(_facts, ctx) {
        expectTypeOf(ctx.options).toEqualTypeOf<{
          annotation: string;
          maxAgeDays: number;
          registries?: string[] | undefined;
          mode?: 'strict' | 'lenient' | undefined;
          strict?: boolean | undefined;
        }>();
      },
    });
  });

  it('types ctx.options as what prepare returns', () => {
    defineRule({
      id: 'acme/prepared',
      description: 'prepared options',
      options: { type: 'object', properties: { pattern: { type: 'string' } }, required: ['pattern'] },
      prepare: (options) => new RegExp(options.pattern),
      check(_facts, ctx) {
        expectTypeOf(ctx).toEqualTypeOf<RuleContext<RegExp>>();
      },
    });
  });

  it('accepts an explicit options type when the schema is beyond the inference', () => {
    defineRule<undefined, { anyOf: string[] }>({
      id: 'acme/explicit',
      description: 'explicit options',
      check(_facts, ctx) {
        expectTypeOf(ctx.options.anyOf).toEqualTypeOf<string[]>();
      },
    });
  });
});

describe('definePlugin', () => {
  it('stamps the contract version the plugin was written for', () => {
    expect(definePlugin({ name: 'acme', rules: [] }).apiVersion).toBe(PLUGIN_API_VERSION);
  });

  it('keeps an explicit apiVersion so that the engine can refuse one it does not support', () => {
    expect(definePlugin({ name: 'acme', apiVersion: 99, rules: [] }).apiVersion).toBe(99);
  });
});
