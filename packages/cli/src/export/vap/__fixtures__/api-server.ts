/**
 * The API server's ValidatingAdmissionPolicy plugin, as far as an admission decision goes, for
 * tests: bindings matched (policy `matchConstraints` ∩ binding `matchResources`: resource rules,
 * namespace selector), `matchConditions` (all must be true; an error follows `failurePolicy`),
 * `variables` (evaluated lazily, once per request, as k8s.io/apiserver composition.go does),
 * `validations` (false = a failure with `messageExpression`, else `message`), and the binding's
 * `validationActions`. Evaluated with @bufbuild/cel: the CEL standard library, the strings
 * extension and RE2 `matches` (@bufbuild/re2) — the same libraries the exported CEL may use, so
 * an expression that used anything else would fail here.
 *
 * Not modelled: cost limits (see cost.ts), type checking warnings, params, audit annotations.
 */
import { createRequire } from 'node:module';
import {
  CelScalar,
  type CelResult,
  celEnv,
  celError,
  celMethod,
  isCelError,
  isCelList,
  isCelMap,
  parse,
  plan,
} from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

type Json = Record<string, unknown>;

export interface Namespace {
  name: string;
  /** As the API server has them: including `kubernetes.io/metadata.name`. */
  labels: Record<string, string>;
}

export interface Request {
  object: Json;
  namespace: Namespace;
  /** `pods`, `deployments`, … and the group: what the rule matches. */
  resource: { group: string; resource: string };
  operation: 'CREATE' | 'UPDATE';
  subResource?: string;
}

export interface Failure {
  policy: string;
  binding: string;
  actions: readonly string[];
  /** The validation's message (messageExpression when it evaluates to a string). */
  message: string;
  /** Set when an expression failed to evaluate (the failurePolicy decides). */
  error?: string;
}

interface Compiled {
  run: (bindings: Record<string, unknown>) => CelResult;
  /** `variables.X` names the expression reads. */
  reads: string[];
}

const require = createRequire(import.meta.url);
const { RE2JS } = require(require.resolve('@bufbuild/re2', { paths: [require.resolve('@bufbuild/cel')] }));

function memoizingRe2() {
  const compiled = new Map<string, { test(text: string): boolean }>();
  return {
    compile(pattern: string) {
      let matcher = compiled.get(pattern);
      if (!matcher) {
        const re = RE2JS.compile(pattern);
        matcher = { test: (text: string) => re.test(text) };
        compiled.set(pattern, matcher);
      }
      return matcher;
    },
  };
}

/**
 * cel-go before v0.22 (Kubernetes 1.30 and 1.31) fails `indexOf` and `lastIndexOf` on an empty
 * string (its offset 0, or -1, is out of range) and on an offset at the end: the strictest
 * supported behaviour is the one simulated, so exported CEL that relied on newer leniency fails here.
 */
function strictPositions() {
  const { STRING, INT } = CelScalar;
  const outOfRange = (offset: number) => new Error(`index out of range: ${offset}`);
  return [
    celMethod('indexOf', STRING, [STRING], INT, function (sub) {
      if (sub === '') return 0n;
      if (this.length === 0) throw outOfRange(0);
      return BigInt(this.indexOf(sub));
    }),
    celMethod('indexOf', STRING, [STRING, INT], INT, function (sub, offset) {
      const at = Number(offset);
      if (sub === '') return offset;
      if (at < 0 || at >= this.length) throw outOfRange(at);
      return BigInt(this.indexOf(sub, at));
    }),
    celMethod('lastIndexOf', STRING, [STRING], INT, function (sub) {
      if (sub === '') return BigInt(this.length);
      if (this.length === 0) throw outOfRange(-1);
      return BigInt(this.lastIndexOf(sub));
    }),
  ];
}

const env = celEnv({ funcs: [...strings, ...strictPositions()], re2: memoizingRe2() });
const cache = new Map<string, Compiled>();

/** Parses and plans an expression once (throws on a syntax error, as the API server rejects it). */
export function compile(expression: string): Compiled {
  let compiled = cache.get(expression);
  if (!compiled) {
    const parsed = parse(expression);
    compiled = { run: plan(env, parsed) as Compiled['run'], reads: variableReads(parsed.expr) };
    cache.set(expression, compiled);
  }
  return compiled;
}

function variableReads(root: unknown): string[] {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const node = value as { exprKind?: { case?: string; value?: Json } };
    const kind = node.exprKind;
    if (kind?.case === 'selectExpr') {
      const operand = kind.value?.['operand'] as { exprKind?: { case?: string; value?: Json } } | undefined;
      if (operand?.exprKind?.case === 'identExpr' && operand.exprKind.value?.['name'] === 'variables') {
        found.add(kind.value?.['field'] as string);
      }
    }
    for (const [key, child] of Object.entries(value)) if (key !== '$typeName') walk(child);
  };
  walk(root);
  return [...found];
}

function labelSelectorMatches(selector: Json | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  const matchLabels = (selector['matchLabels'] ?? {}) as Record<string, string>;
  for (const [key, value] of Object.entries(matchLabels)) if (labels[key] !== value) return false;
  for (const requirement of (selector['matchExpressions'] ?? []) as Json[]) {
    const key = requirement['key'] as string;
    const values = (requirement['values'] ?? []) as string[];
    const has = Object.hasOwn(labels, key);
    switch (requirement['operator']) {
      case 'In':
        if (!has || !values.includes(labels[key] as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key] as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        throw new Error(`unknown operator ${String(requirement['operator'])}`);
    }
  }
  return true;
}

function rulesMatch(rules: Json[] | undefined, request: Request): boolean {
  if (!rules) return true;
  const resource = request.subResource
    ? `${request.resource.resource}/${request.subResource}`
    : request.resource.resource;
  return rules.some((rule) => {
    const groups = rule['apiGroups'] as string[];
    const resources = rule['resources'] as string[];
    const operations = rule['operations'] as string[];
    const groupOk = groups.includes('*') || groups.includes(request.resource.group);
    // `*` matches every resource but no subresource; `*/*` both (validation.go validateResources).
    const resourceOk =
      resources.includes(resource) ||
      resources.includes('*/*') ||
      (resources.includes('*') && request.subResource === undefined);
    const operationOk = operations.includes('*') || operations.includes(request.operation);
    return groupOk && resourceOk && operationOk;
  });
}

export interface Evaluation {
  failures: Failure[];
  /** Policies whose bindings matched and whose matchConditions held. */
  evaluated: string[];
}

/** Admits one request against the exported objects. */
export function admit(objects: readonly Json[], request: Request): Evaluation {
  const policies = new Map<string, Json>();
  for (const o of objects) {
    if (o['kind'] === 'ValidatingAdmissionPolicy') policies.set((o['metadata'] as Json)['name'] as string, o);
  }
  const failures: Failure[] = [];
  const evaluated: string[] = [];
  for (const binding of objects.filter((o) => o['kind'] === 'ValidatingAdmissionPolicyBinding')) {
    const bindingSpec = binding['spec'] as Json;
    const name = (binding['metadata'] as Json)['name'] as string;
    const policy = policies.get(bindingSpec['policyName'] as string);
    if (!policy) continue;
    const spec = policy['spec'] as Json;
    const constraints = spec['matchConstraints'] as Json;
    const matchResources = (bindingSpec['matchResources'] ?? {}) as Json;
    const labels = request.namespace.labels;
    if (
      !rulesMatch(constraints['resourceRules'] as Json[], request) ||
      !labelSelectorMatches(constraints['namespaceSelector'] as Json, labels) ||
      !rulesMatch(matchResources['resourceRules'] as Json[] | undefined, request) ||
      !labelSelectorMatches(matchResources['namespaceSelector'] as Json, labels)
    ) {
      continue;
    }
    const policyName = (policy['metadata'] as Json)['name'] as string;
    const actions = bindingSpec['validationActions'] as string[];
    const fail = (message: string, error?: string) =>
      failures.push({ policy: policyName, binding: name, actions, message, ...(error ? { error } : {}) });
    const context = newContext(spec, request);
    let matched = true;
    for (const condition of (spec['matchConditions'] ?? []) as Json[]) {
      const result = context.evaluate(condition['expression'] as string);
      if (isCelError(result)) {
        fail(`matchCondition ${String(condition['name'])} failed`, String(result.message));
        matched = false;
        break;
      }
      if (result !== true) {
        matched = false;
        break;
      }
    }
    if (!matched) continue;
    evaluated.push(policyName);
    for (const validation of (spec['validations'] ?? []) as Json[]) {
      const result = context.evaluate(validation['expression'] as string);
      if (result === true) continue;
      if (isCelError(result)) {
        fail(String(validation['message'] ?? ''), String(result.message));
        continue;
      }
      let message = validation['message'] as string | undefined;
      if (typeof validation['messageExpression'] === 'string') {
        const rendered = context.evaluate(validation['messageExpression']);
        if (typeof rendered === 'string' && rendered.trim() !== '' && !rendered.includes('\n'))
          message = rendered.trim();
      }
      fail(message ?? `failed expression: ${String(validation['expression'])}`);
    }
  }
  return { failures, evaluated };
}

/** One request's activation: variables computed on first use, then reused. */
export function newContext(spec: Json, request: Request) {
  const definitions = new Map<string, string>();
  for (const v of (spec['variables'] ?? []) as Json[]) definitions.set(v['name'] as string, v['expression'] as string);
  const values: Record<string, unknown> = {};
  const errors = new Map<string, string>();
  const namespaceObject = {
    metadata: { name: request.namespace.name, labels: request.namespace.labels },
  };
  const bindings = {
    object: request.object,
    oldObject: null,
    namespaceObject,
    request: {
      operation: request.operation,
      namespace: request.namespace.name,
      subResource: request.subResource ?? '',
      resource: { group: request.resource.group, resource: request.resource.resource, version: 'v1' },
    },
    variables: values,
  };
  const ensure = (name: string, stack: string[]): void => {
    if (Object.hasOwn(values, name) || errors.has(name)) return;
    const expression = definitions.get(name);
    if (expression === undefined) {
      errors.set(name, `no such variable ${name}`);
      return;
    }
    if (stack.includes(name)) throw new Error(`variable cycle ${[...stack, name].join(' → ')}`);
    const compiled = compile(expression);
    for (const read of compiled.reads) ensure(read, [...stack, name]);
    const failed = compiled.reads.find((read) => errors.has(read));
    if (failed !== undefined) {
      errors.set(name, errors.get(failed) as string);
      return;
    }
    const result = compiled.run(bindings);
    if (isCelError(result)) errors.set(name, `variable ${name}: ${String(result.message)}`);
    else values[name] = result;
  };
  return {
    evaluate(expression: string): CelResult {
      const compiled = compile(expression);
      for (const read of compiled.reads) ensure(read, []);
      const failed = compiled.reads.find((read) => errors.has(read));
      if (failed !== undefined) return celError(errors.get(failed) as string);
      return compiled.run(bindings);
    },
  };
}

/** A CEL value as plain JavaScript (lists → arrays, maps → objects, ints → numbers). */
export function toJs(value: unknown): unknown {
  if (isCelList(value)) return [...value].map(toJs);
  if (isCelMap(value)) return Object.fromEntries([...value].map(([k, v]) => [String(k), toJs(v)]));
  if (typeof value === 'bigint') return Number(value);
  return value;
}
