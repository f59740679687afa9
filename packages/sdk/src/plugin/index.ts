export { definePlugin, defineRule, type PluginInput } from './define.js';
export type { OptionsSchema, SchemaType } from './options-schema.js';
