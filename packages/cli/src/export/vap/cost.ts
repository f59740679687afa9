/**
 * A static estimate of what the exported CEL costs the API server, in its units, against its
 * limits (k8s.io/apiserver pkg/apis/cel/config.go): PerCallLimit 1,000,000 per expression
 * evaluation (each variable is its own program: composition.go), RuntimeCELCostBudget 10,000,000
 * for all variables, validations and messageExpressions of one binding, and
 * RuntimeCELCostBudgetMatchConditions 2,500,000 for its matchConditions.
 *
 * The API server does not estimate a ValidatingAdmissionPolicy when it is created (`object` is
 * declared `dyn`: plugin/cel/compile.go), it meters it at run time; and a static estimate from
 * the schema would see pod lists without `maxItems` and bound them by the 3 MiB request size,
 * rejecting any loop over containers. So the estimate here fixes its own bounds — images per list
 * and characters per string — and walks the expressions with the costs of cel-go's estimator
 * (checker/cost.go: identifiers and selections 1, `has` 0 (PresenceTestHasCost false), list
 * literals 10, map literals 30, string operations 0.1 per character, `matches` 0.1 per character
 * × 0.25 per pattern character, comprehensions their body once per element) and of the Kubernetes
 * string library (library/cost.go). It is an upper bound for objects within the bounds, not a
 * measurement.
 */
import { parse } from '@bufbuild/cel';
import type { KubeObject } from './objects.js';

export const PER_CALL_LIMIT = 1_000_000;
export const RUNTIME_BUDGET = 10_000_000;
export const MATCH_CONDITIONS_BUDGET = 2_500_000;

export interface Bounds {
  /** Items in any list read from the object (containers, init containers, volumes…). */
  items: number;
  /** Characters in any string read from the object. */
  chars: number;
}

type Size =
  | { kind: 'string'; max: number }
  | { kind: 'list'; max: number; elem: Size }
  | { kind: 'map'; fields: Record<string, Size> | undefined }
  | { kind: 'scalar' }
  | { kind: 'dyn' };

const SCALAR: Size = { kind: 'scalar' };
const DYN: Size = { kind: 'dyn' };
const TRAVERSAL = 0.1;
const REGEX = 0.25;

interface Node {
  exprKind: { case: string | undefined; value: Record<string, unknown> };
}

interface Scope {
  bounds: Bounds;
  names: Map<string, Size>;
  variables: Map<string, Size>;
}

const ceil = Math.ceil;

function stringSize(size: Size, bounds: Bounds): number {
  if (size.kind === 'string') return size.max;
  return size.kind === 'dyn' ? bounds.chars : 1;
}

function listOf(size: Size, bounds: Bounds): { max: number; elem: Size } {
  if (size.kind === 'list') return { max: size.max, elem: size.elem };
  return { max: bounds.items, elem: DYN };
}

function walk(node: Node, scope: Scope): { cost: number; size: Size } {
  const { case: kind, value } = node.exprKind;
  switch (kind) {
    case 'constExpr': {
      const constant = value['constantKind'] as { case: string; value: unknown };
      return {
        cost: 0,
        size:
          constant.case === 'stringValue'
            ? { kind: 'string', max: (constant.value as string).length }
            : SCALAR,
      };
    }
    case 'identExpr': {
      const name = value['name'] as string;
      return { cost: 1, size: scope.names.get(name) ?? DYN };
    }
    case 'selectExpr': {
      const operand = value['operand'] as Node;
      const field = value['field'] as string;
      if (operand.exprKind.case === 'identExpr' && operand.exprKind.value['name'] === 'variables') {
        return { cost: 1, size: scope.variables.get(field) ?? DYN };
      }
      const inner = walk(operand, scope);
      const size = inner.size.kind === 'map' && inner.size.fields ? (inner.size.fields[field] ?? DYN) : DYN;
      return { cost: inner.cost + (value['testOnly'] ? 0 : 1), size: value['testOnly'] ? SCALAR : size };
    }
    case 'listExpr': {
      const elements = (value['elements'] as Node[]).map((e) => walk(e, scope));
      return {
        cost: 10 + sum(elements.map((e) => e.cost)),
        size: { kind: 'list', max: elements.length, elem: widest(elements.map((e) => e.size)) },
      };
    }
    case 'structExpr': {
      const entries = value['entries'] as { keyKind: { value: Node }; value: Node }[];
      const fields: Record<string, Size> = {};
      let cost = 30;
      for (const entry of entries) {
        const key = entry.keyKind.value;
        const v = walk(entry.value, scope);
        cost += walk(key, scope).cost + v.cost;
        const constant = key.exprKind.value['constantKind'] as { value: unknown } | undefined;
        if (typeof constant?.value === 'string') fields[constant.value] = v.size;
      }
      return { cost, size: { kind: 'map', fields } };
    }
    case 'comprehensionExpr':
      return comprehension(value, scope);
    case 'callExpr':
      return call(value, scope);
  }
  return { cost: 1, size: DYN };
}

function comprehension(value: Record<string, unknown>, scope: Scope): { cost: number; size: Size } {
  const range = walk(value['iterRange'] as Node, scope);
  const { max, elem } = listOf(range.size, scope.bounds);
  const init = walk(value['accuInit'] as Node, scope);
  const names = new Map(scope.names);
  names.set(value['iterVar'] as string, elem);
  // The accumulator of map/filter grows to `max` elements of what the step appends.
  names.set(
    value['accuVar'] as string,
    init.size.kind === 'list' ? { kind: 'list', max, elem: DYN } : init.size,
  );
  const inner: Scope = { ...scope, names };
  const step = walk(value['loopStep'] as Node, inner);
  if (init.size.kind === 'list' && step.size.kind === 'list')
    names.set(value['accuVar'] as string, { kind: 'list', max, elem: step.size.elem });
  const condition = walk(value['loopCondition'] as Node, inner);
  const result = walk(value['result'] as Node, inner);
  return {
    cost: range.cost + init.cost + max * (condition.cost + step.cost) + result.cost,
    size: result.size,
  };
}

function call(value: Record<string, unknown>, scope: Scope): { cost: number; size: Size } {
  const fn = value['function'] as string;
  const target = value['target'] as Node | undefined;
  const args = (value['args'] as Node[]).map((a) => walk(a, scope));
  const self = target?.exprKind.case === undefined ? undefined : walk(target, scope);
  const all = self ? [self, ...args] : args;
  const argCost = sum(all.map((a) => a.cost));
  const b = scope.bounds;
  const text = (i: number) => stringSize((all[i] as { size: Size }).size, b);
  switch (fn) {
    case '_&&_':
    case '_||_':
      return { cost: argCost, size: SCALAR };
    case '_?_:_':
      return {
        cost: (all[0]?.cost ?? 0) + Math.max(all[1]?.cost ?? 0, all[2]?.cost ?? 0),
        size: widest([all[1]?.size ?? DYN, all[2]?.size ?? DYN]),
      };
    case '_+_': {
      const [l, r] = all as unknown as [{ size: Size }, { size: Size }];
      if (l.size.kind === 'list' || r.size.kind === 'list') {
        const a = listOf(l.size, b);
        const c = listOf(r.size, b);
        return {
          cost: argCost + 1 + ceil((a.max + c.max) * TRAVERSAL),
          size: { kind: 'list', max: a.max + c.max, elem: widest([a.elem, c.elem]) },
        };
      }
      return {
        cost: argCost + 1 + ceil((text(0) + text(1)) * TRAVERSAL),
        size: { kind: 'string', max: text(0) + text(1) },
      };
    }
    case '_==_':
    case '_!=_':
      return { cost: argCost + 1 + ceil(Math.min(text(0), text(1)) * TRAVERSAL), size: SCALAR };
    case 'matches':
      return { cost: argCost + 1 + ceil((1 + text(0)) * TRAVERSAL) * ceil(text(1) * REGEX), size: SCALAR };
    case 'contains':
    case 'startsWith':
    case 'endsWith':
    case 'indexOf':
    case 'lastIndexOf':
      return { cost: argCost + 1 + ceil(text(0) * TRAVERSAL), size: SCALAR };
    case 'lowerAscii':
    case 'upperAscii':
    case 'substring':
    case 'trim':
      return { cost: argCost + 1 + ceil(text(0) * TRAVERSAL), size: { kind: 'string', max: text(0) } };
    case 'replace': {
      // library/cost.go: two traversals; the result grows only when the replacement is longer (the
      // export replaces literals, whose sizes are exact).
      const [from, to] = [text(1), text(2)];
      const grown = from === 0 ? (text(0) + 1) * to + text(0) : Math.ceil(text(0) / from) * to;
      return {
        cost: argCost + 1 + ceil(text(0) * 2 * TRAVERSAL),
        size: { kind: 'string', max: to <= from && from > 0 ? text(0) : grown },
      };
    }
    case 'split':
      return {
        cost: argCost + 1 + ceil(text(0) * TRAVERSAL),
        size: { kind: 'list', max: text(0) + 1, elem: { kind: 'string', max: text(0) } },
      };
    case 'join': {
      const list = listOf((all[0] as { size: Size }).size, b);
      const total = list.max * (stringSize(list.elem, b) + (args[0] ? text(1) : 0));
      return { cost: argCost + 1 + ceil(total * TRAVERSAL), size: { kind: 'string', max: total } };
    }
    case '@in': {
      const haystack = (all[1] as { size: Size }).size;
      return { cost: argCost + 1 + (haystack.kind === 'list' ? haystack.max : 0), size: SCALAR };
    }
    case 'size':
      return { cost: argCost + 1, size: SCALAR };
    case 'dyn':
      return { cost: argCost + 1, size: (all[0] as { size: Size }).size };
    case 'string':
      return { cost: argCost + 1, size: { kind: 'string', max: text(0) } };
    case '_[_]': {
      const container = (all[0] as { size: Size }).size;
      return { cost: argCost + 1, size: container.kind === 'list' ? container.elem : DYN };
    }
  }
  return { cost: argCost + 1, size: fn.startsWith('_') ? SCALAR : DYN };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function widest(sizes: readonly Size[]): Size {
  const strings = sizes.filter((s): s is Extract<Size, { kind: 'string' }> => s.kind === 'string');
  if (strings.length === sizes.length && strings.length > 0)
    return { kind: 'string', max: Math.max(...strings.map((s) => s.max)) };
  const lists = sizes.filter((s): s is Extract<Size, { kind: 'list' }> => s.kind === 'list');
  if (lists.length === sizes.length && lists.length > 0) {
    return {
      kind: 'list',
      max: Math.max(...lists.map((l) => l.max)),
      elem: widest(lists.map((l) => l.elem)),
    };
  }
  const maps = sizes.filter((s): s is Extract<Size, { kind: 'map' }> => s.kind === 'map');
  if (maps.length === sizes.length && maps.length > 0) {
    const fields: Record<string, Size> = {};
    for (const m of maps)
      for (const [k, v] of Object.entries(m.fields ?? {}))
        fields[k] = fields[k] ? widest([fields[k] as Size, v]) : v;
    return { kind: 'map', fields };
  }
  return sizes.length === 1 ? (sizes[0] as Size) : DYN;
}

export interface PolicyCost {
  name: string;
  /** The dearest single expression (variable, validation or messageExpression). */
  maxExpression: number;
  /** Variables + validations + messageExpressions (variables evaluated once each per filter). */
  total: number;
  matchConditions: number;
}

/** Policies share most expressions (the reference variables): each is parsed once. */
const parsed = new Map<string, Node>();

function ast(expression: string): Node {
  let node = parsed.get(expression);
  if (node === undefined) {
    node = parse(expression).expr as unknown as Node;
    parsed.set(expression, node);
  }
  return node;
}

/** The estimate for one ValidatingAdmissionPolicy within `bounds`. */
export function policyCost(policy: KubeObject, bounds: Bounds): PolicyCost {
  const spec = policy['spec'] as Record<string, unknown>;
  const scope: Scope = { bounds, names: new Map(), variables: new Map() };
  let variablesCost = 0;
  let maxExpression = 0;
  for (const v of (spec['variables'] ?? []) as { name: string; expression: string }[]) {
    const { cost, size } = walk(ast(v.expression), scope);
    scope.variables.set(v.name, size);
    variablesCost += cost;
    maxExpression = Math.max(maxExpression, cost);
  }
  const costOf = (expression: string) => walk(ast(expression), scope).cost;
  let validations = 0;
  let messageExpressions = 0;
  for (const v of (spec['validations'] ?? []) as { expression: string; messageExpression?: string }[]) {
    const c = costOf(v.expression);
    validations += c;
    maxExpression = Math.max(maxExpression, c);
    if (v.messageExpression) {
      const m = costOf(v.messageExpression);
      messageExpressions += m;
      maxExpression = Math.max(maxExpression, m);
    }
  }
  const matchConditions = sum(
    ((spec['matchConditions'] ?? []) as { expression: string }[]).map((c) => costOf(c.expression)),
  );
  // Validations and messageExpressions run as two filters, each computing the variables it reads once.
  const total = variablesCost * (messageExpressions > 0 ? 2 : 1) + validations + messageExpressions;
  const name = (policy['metadata'] as { name: string }).name;
  return { name, maxExpression, total, matchConditions };
}

export const fits = (cost: PolicyCost) =>
  cost.maxExpression <= PER_CALL_LIMIT &&
  cost.total <= RUNTIME_BUDGET &&
  cost.matchConditions <= MATCH_CONDITIONS_BUDGET;

/** Typical objects: what the summary line quotes. */
export const TYPICAL: Bounds = { items: 10, chars: 128 };
/** The longest reference the CEL scans (longer strings are judged invalid without scanning). */
export const LONGEST: Bounds['chars'] = 1024;

/** The most images per list (at the longest scanned reference) that keep `policy` within every limit. */
export function maxImages(policy: KubeObject): number {
  let low = 0;
  let high = 4096;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (fits(policyCost(policy, { items: mid, chars: LONGEST }))) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** The limits, then one line per exported policy: its estimate for typical objects and the bound it holds to. */
export function estimateCost(objects: readonly KubeObject[]): string[] {
  const n = (value: number) => value.toLocaleString('en-US');
  const lines = [
    `limits ${n(PER_CALL_LIMIT)} per expression, ${n(RUNTIME_BUDGET)} per binding; estimates for ${TYPICAL.items} images per list of ${TYPICAL.chars} characters (docs/vap.md#cost):`,
  ];
  for (const policy of objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy')) {
    const typical = policyCost(policy, TYPICAL);
    lines.push(
      `${typical.name}: ~${n(typical.total)} (dearest expression ~${n(typical.maxExpression)}); within the limits up to ${maxImages(policy)} images per list of ${LONGEST} characters`,
    );
  }
  return lines;
}
