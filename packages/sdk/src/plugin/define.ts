/**
 * Authoring helpers for rule plugins. They are typed identity functions: they give a plugin's
 * rules their option types and stamp the contract version, and nothing else. Validation (ids in the
 * plugin's namespace, duplicates, `check` present, supported version, options schema) happens once,
 * in the engine, when the plugin is registered — the same checks whether or not these helpers were used.
 */
import { PLUGIN_API_VERSION, type PluginDefinition, type RuleDefinition } from '@pullguard/engine';
import type { OptionsSchema, SchemaType } from './options-schema.js';

/**
 * Declares a rule. Its `with:` options are typed from its `options` JSON Schema
 * (`{ type: 'object', properties: { annotation: { type: 'string' } }, required: ['annotation'] }` gives
 * `ctx.options.annotation: string`); pass the type explicitly (`defineRule<MyOptions>(…)`) when the
 * schema is beyond what the inference covers. When the rule has `prepare`, `ctx.options` is what it returns.
 */
export function defineRule<
  const Schema extends OptionsSchema | undefined = undefined,
  Options = SchemaType<Schema>,
  Prepared = Options,
>(rule: RuleDefinition<Options, Prepared> & { options?: Schema }): RuleDefinition<Options, Prepared> {
  return rule;
}

/** What a plugin author writes: a plugin whose `apiVersion` defaults to the SDK's contract version. */
export type PluginInput = Omit<PluginDefinition, 'apiVersion'> & { apiVersion?: number | undefined };

/**
 * Declares a plugin: the default export of a plugin module. The contract version is stamped here so
 * that an engine from a later major release can tell which contract the plugin was written for.
 */
export function definePlugin(plugin: PluginInput): PluginDefinition & { apiVersion: number } {
  return { ...plugin, apiVersion: plugin.apiVersion ?? PLUGIN_API_VERSION };
}
