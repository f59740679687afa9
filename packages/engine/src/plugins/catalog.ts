/**
 * The rules a policy can name: the built-ins plus the rules of registered plugins. Plugins are
 * checked when registered, so a broken plugin is reported once, clearly, before any policy uses it.
 */
import type { RuleSummary } from '../engine-api.js';
import { type Diagnostic, PullguardAggregateError } from '../errors.js';
import type { RulesById } from '../policy/compiled-policy.js';
import { optionValidator } from '../policy/option-validator.js';
import {
  type FactGroup,
  PLUGIN_API_VERSION,
  type PluginDefinition,
  SUPPORTED_PLUGIN_API_VERSIONS,
} from '../rule-contract.js';
import { builtinRules } from '../rules/index.js';
import { FACT_GROUPS } from '../rules/json-logic/fact-paths.js';
import type { Action } from '../types.js';
import { type AnyRule, readRuleFields } from './rule-fields.js';

export interface RuleCatalog {
  /** What the policy compiler looks rules up in. */
  rules: RulesById;
  /** Built-ins first, then plugin rules in registration order (SARIF rule descriptors, `pullguard explain`). */
  summaries: readonly RuleSummary[];
}

const ACTIONS: readonly Action[] = ['deny', 'warn', 'audit'];
/** The part after `<plugin>/`: lowercase words, digits, dots, dashes, underscores. */
const LOCAL_ID = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * Registers the built-in rules and `plugins`. Throws PullguardAggregateError listing every problem:
 * PLUGIN_INVALID (shape, ids outside `<plugin name>/`, missing `check`, option schemas ajv cannot
 * compile), PLUGIN_UNSUPPORTED_API, PLUGIN_DUPLICATE_RULE (across plugins and built-ins).
 */
export function createRuleCatalog(plugins: readonly PluginDefinition[] = []): RuleCatalog {
  const rules = new Map<string, AnyRule>();
  const summaries: RuleSummary[] = [];
  const owners = new Map<string, string>();
  const problems: Diagnostic[] = [];
  const problem = (code: Diagnostic['code'], message: string, field: string) =>
    problems.push({ code, message, field, severity: 'error' });

  const add = (rule: AnyRule, source: string) => {
    rules.set(rule.id, rule);
    owners.set(rule.id, source);
    summaries.push({
      id: rule.id,
      description: rule.description,
      hint: rule.hint,
      source,
      defaultAction: rule.defaultAction ?? 'deny',
    });
  };
  for (const rule of builtinRules) add(rule, 'builtin');

  const names = new Set<string>();
  plugins.forEach((plugin, p) => {
    const at = `plugins[${p}]`;
    if (
      typeof plugin !== 'object' ||
      plugin === null ||
      typeof plugin.name !== 'string' ||
      plugin.name === ''
    ) {
      problem('PLUGIN_INVALID', 'a plugin must be an object with a non-empty `name`', at);
      return;
    }
    const name = plugin.name;
    if (names.has(name)) problem('PLUGIN_INVALID', `two plugins are named "${name}"`, at);
    names.add(name);
    const apiVersion = plugin.apiVersion ?? PLUGIN_API_VERSION;
    if (!SUPPORTED_PLUGIN_API_VERSIONS.includes(apiVersion)) {
      problem(
        'PLUGIN_UNSUPPORTED_API',
        `plugin "${name}" targets plugin API version ${String(apiVersion)}; this engine supports ${SUPPORTED_PLUGIN_API_VERSIONS.join(', ')}`,
        `${at}.apiVersion`,
      );
      return;
    }
    if (!Array.isArray(plugin.rules)) {
      problem('PLUGIN_INVALID', `plugin "${name}" has no \`rules\` array`, `${at}.rules`);
      return;
    }
    plugin.rules.forEach((written, r) => {
      const field = `${at}.rules[${r}]`;
      let rule: AnyRule;
      try {
        rule = readRuleFields(written);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        problem('PLUGIN_INVALID', `plugin "${name}": a rule could not be read: ${why}`, field);
        return;
      }
      const why = ruleShapeProblem(rule, name);
      if (why !== undefined) {
        problem('PLUGIN_INVALID', `plugin "${name}": ${why}`, field);
        return;
      }
      const owner = owners.get(rule.id);
      if (owner !== undefined) {
        const other = owner === 'builtin' ? 'a built-in rule' : `plugin "${owner}"`;
        problem(
          'PLUGIN_DUPLICATE_RULE',
          `plugin "${name}" defines rule "${rule.id}", which ${other} already defines`,
          field,
        );
        return;
      }
      add(rule, name);
    });
  });

  if (problems.length > 0) throw new PullguardAggregateError('plugins cannot be registered', problems);
  return { rules, summaries };
}

/** Why `rule` does not satisfy the rule contract, or undefined. */
function ruleShapeProblem(rule: AnyRule, plugin: string): string | undefined {
  if (typeof rule !== 'object' || rule === null) return 'a rule must be an object';
  if (typeof rule.id !== 'string') return 'a rule has no string `id`';
  const prefix = `${plugin}/`;
  if (!rule.id.startsWith(prefix) || !LOCAL_ID.test(rule.id.slice(prefix.length))) {
    return `rule id "${rule.id}" must be "${prefix}<name>" (lowercase letters, digits, ".", "-", "_")`;
  }
  if (typeof rule.check !== 'function') return `rule "${rule.id}" has no \`check\` function`;
  if (typeof rule.description !== 'string' || rule.description === '')
    return `rule "${rule.id}" has no \`description\``;
  if (rule.prepare !== undefined && typeof rule.prepare !== 'function')
    return `rule "${rule.id}": \`prepare\` is not a function`;
  if (rule.defaultAction !== undefined && !ACTIONS.includes(rule.defaultAction)) {
    return `rule "${rule.id}": defaultAction must be one of ${ACTIONS.join(', ')}`;
  }
  if (rule.reads !== undefined) {
    const unknown = Array.isArray(rule.reads)
      ? rule.reads.filter((g: unknown) => !FACT_GROUPS.includes(g as FactGroup))
      : ['(not a list)'];
    if (unknown.length > 0)
      return `rule "${rule.id}": reads names unknown fact groups ${unknown.join(', ')} (known: ${FACT_GROUPS.join(', ')})`;
  }
  if (rule.options !== undefined) {
    if (typeof rule.options !== 'object' || rule.options === null)
      return `rule "${rule.id}": options must be a JSON Schema object`;
    // The validator the policy compiler will use, compiled once here: a schema accepted here compiles there.
    const validate = optionValidator(rule);
    if (validate instanceof Error)
      return `rule "${rule.id}": the options schema does not compile: ${validate.message}`;
  }
  return undefined;
}
