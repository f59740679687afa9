/**
 * A plugin worker thread: imports the plugin modules, then runs rule calls the main thread sends
 * (plugin-pool.ts) with every guarantee of run-rule.ts, and — in the control worker — answers
 * synchronous `prepare` calls (control-worker.ts). Plugin code runs only here, so a rule that
 * spins, or a module that never finishes loading, stops this thread, never the engine's: the main
 * thread terminates and replaces it.
 */
import { register } from 'node:module';
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { isPullguardError } from '../errors.js';
import { CallContext, describeThrown, type RuleResult, ruleFailure, runRule } from '../evaluate/run-rule.js';
import type { OptionProblem } from '../rule-contract.js';
import { type AnyRule, readRuleFields } from './rule-fields.js';
import {
  ANSWERED,
  type CheckRequest,
  type DescribedPlugin,
  type DescribedRule,
  type FromWorker,
  type InstanceSetup,
  LOADED,
  type PrepareAnswer,
  type PrepareRequest,
  type ToWorker,
  type WorkerData,
} from './worker-protocol.js';

type Primitive = string | number | boolean | null | undefined;

/** A rule instance's options as this worker prepared them, or why it could not. */
type Prepared = { options: unknown } | { failure: RuleResult };

const data = workerData as WorkerData;
const port = parentPort as MessagePort;
const send = (message: FromWorker) => port.postMessage(message);

// Before any plugin is imported: `import '@pullguard/sdk'` in a plugin outside any node_modules
// resolves to the host's own copy (module-hooks.ts).
if (Object.keys(data.hostModules).length > 0) {
  register(new URL('./module-hooks.js', import.meta.url), { data: data.hostModules });
}

/** The rules of each plugin, in order, read once; undefined where a rule is not usable. */
const table: (AnyRule | undefined)[][] = [];
const described: DescribedPlugin[] = [];
let loadFailure: string | undefined;

for (const [index, module] of data.modules.entries()) {
  send({ type: 'loading', module: index });
  const plugin = await importPlugin(module.url);
  const read = typeof plugin === 'string' ? plugin : readPlugin(plugin);
  if (typeof read === 'string') {
    loadFailure = `plugin "${module.specifier}" could not be loaded: ${read}`;
    send({ type: 'load-failed', module: index, message: read });
    break;
  }
  table.push(read.rules);
  described.push(read.described);
}

if (loadFailure === undefined) {
  const instances = new Map<number, Prepared>();
  const calls = new Map<number, CallContext>();
  port.on('message', (message: ToWorker) => {
    if (message.type === 'check') check(message, instances, calls);
    else if (message.type === 'cancel')
      calls.get(message.id)?.abort(new Error('the engine stopped waiting for this call'));
    else instances.clear();
  });
  send({ type: 'loaded', plugins: data.describe ? described : undefined });
}
if (data.control !== undefined) answerPrepareCalls(data.control.port, data.control.flags);

/** The module's plugin (default export, else `plugin`), or why there is none. */
async function importPlugin(url: string): Promise<unknown> {
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    return describeThrown(error);
  }
  const plugin = module['default'] ?? module['plugin'];
  if (typeof plugin !== 'object' || plugin === null)
    return 'the module has no default export and no export named `plugin`';
  return plugin;
}

/**
 * The plugin as data for registration on the main thread (which reports shape problems exactly
 * as for a plugin given as an object), and its rules for this worker. A string: why it cannot be read.
 */
function readPlugin(
  plugin: unknown,
): { described: DescribedPlugin; rules: (AnyRule | undefined)[] } | string {
  try {
    const { name, apiVersion, version, rules } = plugin as Record<string, unknown>;
    const read = Array.isArray(rules) ? rules.map((rule) => readRule(rule)) : undefined;
    return {
      described: {
        name: typeof name === 'string' ? name : null,
        // Shown by registration when unsupported: a value that is not a number stays recognisable.
        apiVersion:
          apiVersion === undefined || typeof apiVersion === 'number' ? apiVersion : String(apiVersion),
        version: typeof version === 'string' ? version : undefined,
        rules: read?.map(([rule]) => rule),
      },
      rules: read?.map(([, rule]) => rule) ?? [],
    };
  } catch (error) {
    return `the plugin could not be read: ${describeThrown(error)}`;
  }
}

function readRule(written: unknown): [DescribedRule, AnyRule | undefined] {
  let rule: AnyRule;
  try {
    rule = readRuleFields(written as AnyRule);
  } catch (error) {
    return [{ kind: 'unreadable', why: describeThrown(error) }, undefined];
  }
  if (typeof rule !== 'object' || rule === null) {
    const value = typeof rule === 'function' || typeof rule === 'symbol' ? String(typeof rule) : rule;
    return [{ kind: 'value', value: value as Primitive }, undefined];
  }
  const { id, description, defaultAction, hint, deterministic, skipWhenAdmitted, reads, options } = rule;
  const fields = { id, description, defaultAction, hint, deterministic, skipWhenAdmitted, reads, options };
  try {
    structuredClone(fields);
  } catch (error) {
    const why = `its fields cannot be copied out of the plugin worker (data only): ${describeThrown(error)}`;
    return [{ kind: 'unreadable', why }, undefined];
  }
  const prepare =
    rule.prepare === undefined ? 'none' : typeof rule.prepare === 'function' ? 'function' : 'other';
  return [{ kind: 'rule', fields, check: typeof rule.check === 'function', prepare }, rule];
}

function check(
  request: CheckRequest,
  instances: Map<number, Prepared>,
  calls: Map<number, CallContext>,
): void {
  const rule = table[request.plugin]?.[request.rule] as AnyRule;
  let prepared = request.instance === undefined ? undefined : instances.get(request.instance);
  if (prepared === undefined) {
    prepared = prepareInstance(rule, request.setup as InstanceSetup);
    if (request.instance !== undefined) instances.set(request.instance, prepared);
  }
  if ('failure' in prepared) {
    answer(request.id, prepared.failure);
    return;
  }
  const ctx = new CallContext(prepared.options, request.policy);
  ctx.enter(request.namespace, request.now);
  // A fresh copy per call, frozen as the engine freezes facts in-process: a write throws in strict code.
  const result = runRule(rule.check, deepFreeze(request.facts), ctx, rule.id, request.timeoutMs);
  if (!(result instanceof Promise)) {
    answer(request.id, result);
    return;
  }
  calls.set(request.id, ctx);
  void result.then((settled) => {
    calls.delete(request.id);
    answer(request.id, settled);
  });
}

/** The instance's options, prepared here when the rule has `prepare` (its value never leaves this thread). */
function prepareInstance(rule: AnyRule, setup: InstanceSetup): Prepared {
  if (setup.entry === undefined || typeof rule.prepare !== 'function') return { options: setup.options };
  try {
    // Problems were reported when the policy loaded (the control worker); here only the value counts.
    return { options: rule.prepare(setup.options, setup.entry, () => undefined) };
  } catch (error) {
    const why = `rule ${rule.id} could not prepare its options: ${describeThrown(error)}`;
    return { failure: ruleFailure('RULE_ERROR', why) };
  }
}

function answer(id: number, result: RuleResult): void {
  try {
    send({ type: 'result', id, result });
  } catch (error) {
    // run-rule's copies are plain data; this is a last resort, so the caller is never left waiting.
    const why = `the result of rule call ${id} could not be sent: ${describeThrown(error)}`;
    send({ type: 'result', id, result: ruleFailure('RULE_ERROR', why) });
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * The control worker's synchronous channel: the main thread posts a request on `control` and
 * blocks (Atomics.wait) until this thread has loaded the plugins (flags[LOADED] = 1) and stored
 * the request's sequence number (flags[ANSWERED]).
 */
function answerPrepareCalls(control: MessagePort, shared: SharedArrayBuffer): void {
  const flag = new Int32Array(shared);
  control.on('message', (request: PrepareRequest) => {
    let reply: PrepareAnswer;
    try {
      reply = prepare(request);
      control.postMessage(reply);
    } catch (error) {
      reply = { seq: request.seq, problems: [], error: { message: describeThrown(error) } };
      control.postMessage(reply);
    }
    Atomics.store(flag, ANSWERED, request.seq);
    Atomics.notify(flag, ANSWERED);
  });
  Atomics.store(flag, LOADED, 1);
  Atomics.notify(flag, LOADED);
}

function prepare(request: PrepareRequest): PrepareAnswer {
  const { seq } = request;
  if (loadFailure !== undefined) return { seq, problems: [], error: { message: loadFailure } };
  const rule = table[request.plugin]?.[request.rule] as AnyRule;
  const problems: OptionProblem[] = [];
  try {
    rule.prepare?.(request.options, request.entry, (problem: OptionProblem) => {
      // Copied field by field: a problem is the plugin's object and must cross as data.
      problems.push({
        message: String(problem.message),
        field: problem.field === undefined ? undefined : String(problem.field),
        scope: problem.scope === 'entry' ? 'entry' : undefined,
        code: typeof problem.code === 'string' ? problem.code : undefined,
        severity: problem.severity === 'warning' ? 'warning' : undefined,
      });
    });
    return { seq, problems };
  } catch (error) {
    const thrown = isPullguardError(error)
      ? { message: error.message, thrown: true, code: error.code, field: error.field }
      : { message: describeThrown(error), thrown: true };
    return { seq, problems, error: thrown };
  }
}
