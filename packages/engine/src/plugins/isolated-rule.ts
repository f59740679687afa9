/**
 * The main thread's side of a plugin loaded into workers: a PluginDefinition made from the data
 * the control worker read, whose `check` and `prepare` call into the workers. Registration
 * (catalog.ts) and the policy compiler use it exactly like a plugin given as an object; the
 * evaluator recognises its rules (isolatedRuleOf) and sends their calls to the pool.
 */
import { PullguardError } from '../errors.js';
import type { RuleResult } from '../evaluate/run-rule.js';
import type { Facts, OptionProblem, PluginDefinition, RuleEntryContext } from '../rule-contract.js';
import type { ControlWorker } from './control-worker.js';
import type { InstanceOptions, PluginPool, RuleAddress } from './plugin-pool.js';
import type { DescribedPlugin, PluginModule } from './worker-protocol.js';

/**
 * What a worker-run rule's `prepare` leaves on the main thread as the instance's options: the
 * validated options and where they were written, from which each worker prepares its own value.
 */
export class PreparedInWorker {
  readonly options: unknown;
  readonly entry: RuleEntryContext;

  constructor(options: unknown, entry: RuleEntryContext) {
    this.options = options;
    this.entry = entry;
    Object.freeze(this);
  }
}

/** A rule whose calls run in the plugin workers. */
export interface IsolatedRule {
  /** Never rejects: a throw, a timeout or a stopped worker is a RuleFailure. */
  run(
    facts: Facts,
    options: unknown,
    context: { policy: string; namespace: string; now: number },
    timeoutMs: number,
  ): Promise<RuleResult>;
}

/** Keyed by the rule's `check`, which registration copies as it is (the definition itself is copied). */
const isolated = new WeakMap<object, IsolatedRule>();

export function isolatedRuleOf(check: unknown): IsolatedRule | undefined {
  return typeof check === 'function' ? isolated.get(check) : undefined;
}

/**
 * PluginDefinitions for the plugins the workers loaded. Throws PLUGIN_INVALID for a rule the
 * worker could not read (a getter that throws, fields that are not data).
 */
export function isolatedPlugins(
  described: readonly DescribedPlugin[],
  modules: readonly PluginModule[],
  pool: PluginPool,
  control: ControlWorker,
): PluginDefinition[] {
  return described.map((plugin, p) => {
    const label = `plugin "${typeof plugin.name === 'string' ? plugin.name : modules[p]?.specifier}"`;
    const rules = plugin.rules?.map((rule, r) => {
      if (rule.kind === 'value') return rule.value;
      if (rule.kind === 'unreadable') {
        throw new PullguardError('PLUGIN_INVALID', `${label}: rules[${r}] could not be read: ${rule.why}`, {
          field: `plugins[${p}].rules[${r}]`,
        });
      }
      const address: RuleAddress = { plugin: p, rule: r, id: String(rule.fields['id']) };
      return Object.freeze({
        ...rule.fields,
        check: rule.check ? isolatedCheck(address, pool) : undefined,
        prepare:
          rule.prepare === 'function'
            ? isolatedPrepare(address, label, control)
            : rule.prepare === 'other'
              ? 'not a function'
              : undefined,
      });
    });
    return Object.freeze({
      name: plugin.name,
      apiVersion: plugin.apiVersion,
      version: plugin.version,
      rules: rules === undefined ? undefined : Object.freeze(rules),
    }) as unknown as PluginDefinition;
  });
}

function isolatedCheck(address: RuleAddress, pool: PluginPool) {
  const rule: IsolatedRule = {
    run: (facts, options, context, timeoutMs) =>
      pool.call(address, instanceOptions(options), facts, context, timeoutMs),
  };
  // Only the engine calls a worker-run rule: it needs the engine's timeout and turns failures into findings.
  const check = () => {
    throw new Error(
      `rule ${address.id} runs in a plugin worker: evaluate it through an engine (createEngine)`,
    );
  };
  isolated.set(check, rule);
  return check;
}

function isolatedPrepare(address: RuleAddress, label: string, control: ControlWorker) {
  return (
    options: unknown,
    entry: RuleEntryContext,
    report: (problem: OptionProblem) => void,
  ): PreparedInWorker => {
    const answer = control.prepare(address.plugin, address.rule, options, entry);
    for (const problem of answer.problems) report(problem);
    const error = answer.error;
    if (error !== undefined) {
      if (error.code !== undefined)
        throw new PullguardError(error.code, error.message, { field: error.field });
      // As in-process: the compiler reports what prepare threw as the options' problem.
      if (error.thrown) throw new Error(error.message);
      const message = `${label}: rule ${address.id}: ${error.message}`;
      throw new PullguardError('PLUGIN_INVALID', message);
    }
    return new PreparedInWorker(options, entry);
  };
}

/** What a worker needs to build the instance's options, and the object that identifies them. */
function instanceOptions(options: unknown): InstanceOptions {
  if (options instanceof PreparedInWorker) {
    return { key: options, setup: { options: options.options, entry: options.entry } };
  }
  const key = typeof options === 'object' && options !== null ? options : undefined;
  return { key, setup: { options, entry: undefined } };
}
