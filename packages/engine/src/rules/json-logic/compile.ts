/**
 * A JSON Logic compiler: an expression is checked and turned into a tree of closures once, at
 * policy load, and then evaluated per image without re-interpreting the JSON.
 *
 * Why not `jsonLogic.apply`: json-logic-js 2.0.5 (logic.js) keeps one global operation table that
 * any code in the process can extend (`add_operation`), its `var` walks the prototype chain
 * (`{"var": "constructor"}` reaches Object), `log` writes to the console, and dotted operators
 * call methods of the table. Here only the operators below exist, per compiled expression; `var`
 * reads own properties; size, depth and work are bounded. Operator semantics follow logic.js 2.0.5
 * (json-logic-js is the oracle of compile.test.ts, not a runtime dependency).
 */
import { formatFieldPath, type PathSegment } from '../../documents/field-path.js';
import type { FactGroup } from '../../rule-contract.js';
import { readOwn, resolveFactPath, splitRuntimePath } from './fact-paths.js';

export const LOGIC_LIMITS = {
  /** Nodes (operators, arguments, literals) in one expression. */
  maxNodes: 2000,
  /** Nesting of operators and arrays. */
  maxDepth: 32,
  /** Loop iterations (map, filter, reduce, all, some, none) in one evaluation. */
  maxIterations: 10_000,
  /** Longest string `cat` may build, and longest array `merge` may build. */
  maxStringLength: 65_536,
  maxArrayLength: 10_000,
} as const;

/** A problem in an expression; `path` is below the expression (`and[1].var`). */
export class LogicError extends Error {
  readonly path: string;
  constructor(message: string, path: readonly PathSegment[]) {
    super(message);
    this.path = formatFieldPath(path);
  }
}

export interface CompiledLogic {
  evaluate(data: unknown): unknown;
  /** Fact groups the expression reads; undefined when it cannot be known (computed `var` paths). */
  reads: readonly FactGroup[] | undefined;
}

/** JSON Logic truthiness (logic.js 2.0.5 `jsonLogic.truthy`): JavaScript's, except that an empty array is false. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value) && value.length === 0) return false;
  return !!value;
}

type Fn = (data: unknown) => unknown;
/** `facts`: data is the Facts object; `item`: data is an array element (map, filter…) or reduce's {current, accumulator}. */
type Scope = 'facts' | 'item';

interface State {
  nodes: number;
  reads: Set<FactGroup> | 'all';
  /** Run-time work counter, reset by `evaluate`. */
  iterations: number;
}

/** Compiles `expression`; throws LogicError saying what is wrong and where. */
export function compileLogic(expression: unknown): CompiledLogic {
  const state: State = { nodes: 0, reads: new Set(), iterations: 0 };
  const root = compileNode(expression, [], 'facts', 0, state);
  return {
    evaluate(data) {
      state.iterations = 0;
      return root(data);
    },
    reads: state.reads === 'all' ? undefined : [...state.reads],
  };
}

type Path = readonly PathSegment[];

function compileNode(node: unknown, path: Path, scope: Scope, depth: number, state: State): Fn {
  if (++state.nodes > LOGIC_LIMITS.maxNodes) {
    throw new LogicError(`the expression has more than ${LOGIC_LIMITS.maxNodes} nodes`, path);
  }
  if (depth > LOGIC_LIMITS.maxDepth) {
    throw new LogicError(`the expression nests deeper than ${LOGIC_LIMITS.maxDepth} levels`, path);
  }
  if (node === null || typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') {
    return () => node;
  }
  if (Array.isArray(node)) {
    const items = node.map((item, i) => compileNode(item, [...path, i], scope, depth + 1, state));
    if (node.every(isLiteral)) {
      const constant = Object.freeze([...node]);
      return () => constant;
    }
    return (data) => items.map((item) => item(data));
  }
  if (typeof node !== 'object') {
    throw new LogicError(`a ${typeof node} is not JSON`, path);
  }
  const keys = Object.keys(node);
  if (keys.length !== 1) {
    throw new LogicError(
      `an operation is an object with exactly one key, the operator; this object has ${keys.length === 0 ? 'none' : `${keys.length} (${keys.join(', ')})`}`,
      path,
    );
  }
  const op = keys[0]!;
  const raw = (node as Record<string, unknown>)[op];
  const args = Array.isArray(raw) ? raw : [raw];
  const at = [...path, op];
  const compileArg = (i: number, argScope: Scope = scope): Fn =>
    compileNode(args[i], Array.isArray(raw) ? [...at, i] : at, argScope, depth + 1, state);
  const compileArgs = (): Fn[] => args.map((_, i) => compileArg(i));
  const arity = (min: number, max: number) => {
    if (args.length < min || args.length > max) {
      const want =
        min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `at least ${min}` : `${min} to ${max}`;
      throw new LogicError(
        `"${op}" takes ${want} argument${want === '1' ? '' : 's'}, not ${args.length}`,
        at,
      );
    }
  };

  switch (op) {
    case 'var':
      arity(0, 2);
      return compileVar(args, at, scope, state, compileArg);
    case 'missing':
    case 'missing_some':
      return compileMissing(op, args, scope, state, compileArgs, arity);
    case 'if':
    case '?:':
      return compileIf(compileArgs());
    case 'and':
    case 'or': {
      arity(1, Number.POSITIVE_INFINITY);
      const items = compileArgs();
      const wantTruthy = op === 'or';
      return (data) => {
        let current: unknown;
        for (const item of items) {
          current = item(data);
          if (truthy(current) === wantTruthy) return current;
        }
        return current;
      };
    }
    case 'map':
    case 'filter':
    case 'all':
    case 'none':
    case 'some': {
      arity(2, 2);
      return compileLoop(op, compileArg(0), compileArg(1, 'item'), state);
    }
    case 'reduce': {
      arity(2, 3);
      const source = compileArg(0);
      const step = compileArg(1, 'item');
      const initial = args.length === 3 ? compileArg(2) : () => null;
      return (data) => {
        const items = source(data);
        let accumulator = initial(data);
        if (!Array.isArray(items)) return accumulator;
        for (const current of items) {
          tick(state);
          accumulator = step({ current, accumulator });
        }
        return accumulator;
      };
    }
  }
  const pure = PURE_OPERATORS[op];
  if (pure === undefined || !Object.hasOwn(PURE_OPERATORS, op)) {
    const hint =
      op === 'log'
        ? ' (log is removed: expressions have no side effects)'
        : op.includes('.')
          ? ' (method calls are not supported)'
          : '';
    throw new LogicError(`unknown operator "${op}"${hint}; supported: ${SUPPORTED.join(' ')}`, at);
  }
  arity(pure.min, pure.max);
  return applyPure(pure.fn, compileArgs());
}

function isLiteral(value: unknown): boolean {
  return (
    value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
  );
}

function tick(state: State): void {
  if (++state.iterations > LOGIC_LIMITS.maxIterations) {
    throw new Error(`the expression exceeded ${LOGIC_LIMITS.maxIterations} loop iterations`);
  }
}

function readAll(state: State): void {
  state.reads = 'all';
}

function noteRead(state: State, group: FactGroup): void {
  if (state.reads !== 'all') state.reads.add(group);
}

/** `{"var": "image.tag"}`, `{"var": ["workload.labels.team", "none"]}`, `{"var": {"cat": [...]}}`. */
function compileVar(
  args: unknown[],
  at: Path,
  scope: Scope,
  state: State,
  compileArg: (i: number) => Fn,
): Fn {
  const fallbackFn = args.length > 1 ? compileArg(1) : undefined;
  const target = args[0];
  if (target === undefined || target === null || target === '') {
    if (scope === 'facts') readAll(state);
    return (data) => data;
  }
  if (typeof target === 'string' || typeof target === 'number') {
    state.nodes += 1;
    const path = String(target);
    let segments: readonly string[] = path.split('.');
    if (scope === 'facts') {
      const resolved = resolveFactPath(path);
      if (typeof resolved === 'string') throw new LogicError(resolved, at);
      noteRead(state, resolved.group);
      segments = resolved.segments;
    }
    if (fallbackFn === undefined) return (data) => readOwn(data, segments, null);
    return (data) => readOwn(data, segments, fallbackFn(data));
  }
  // A computed path: which facts it reads is unknown until it runs.
  const pathFn = compileArg(0);
  if (scope === 'facts') readAll(state);
  return (data) => {
    const path = pathFn(data);
    if (path === null || path === undefined || path === '') return data;
    return readOwn(data, splitRuntimePath(String(path), scope === 'facts'), fallbackFn?.(data) ?? null);
  };
}

/** `{"missing": ["image.tag", "image.digest"]}`: the paths whose value is null or "". */
function compileMissing(
  op: 'missing' | 'missing_some',
  args: unknown[],
  scope: Scope,
  state: State,
  compileArgs: () => Fn[],
  arity: (min: number, max: number) => void,
): Fn {
  if (op === 'missing_some') arity(2, 2);
  const keysNode =
    op === 'missing' ? (args.length === 1 && Array.isArray(args[0]) ? args[0] : args) : args[1];
  if (scope === 'facts') {
    if (Array.isArray(keysNode) && keysNode.every((k) => typeof k === 'string')) {
      for (const key of keysNode as string[]) {
        const resolved = resolveFactPath(key);
        if (typeof resolved === 'string') throw new LogicError(resolved, [op]);
        noteRead(state, resolved.group);
      }
    } else {
      readAll(state);
    }
  }
  const items = compileArgs();
  const missing = (data: unknown, keys: unknown): unknown[] => {
    const list = Array.isArray(keys) ? keys : [keys];
    const result: unknown[] = [];
    for (const key of list) {
      const value = readOwn(data, splitRuntimePath(String(key), scope === 'facts'), null);
      if (value === null || value === '') result.push(key);
    }
    return result;
  };
  if (op === 'missing') {
    return (data) => {
      const values = items.map((item) => item(data));
      return missing(data, values.length === 1 && Array.isArray(values[0]) ? values[0] : values);
    };
  }
  const [needFn, keysFn] = items as [Fn, Fn];
  return (data) => {
    const keys = keysFn(data);
    const absent = missing(data, keys);
    const total = Array.isArray(keys) ? keys.length : 1;
    return total - absent.length >= Number(needFn(data)) ? [] : absent;
  };
}

/** `if`: condition/value pairs, then an optional else; no else and no match gives null. */
function compileIf(items: Fn[]): Fn {
  return (data) => {
    let i = 0;
    for (; i < items.length - 1; i += 2) {
      if (truthy(items[i]!(data))) return items[i + 1]!(data);
    }
    return i === items.length - 1 ? items[i]!(data) : null;
  };
}

function compileLoop(op: 'map' | 'filter' | 'all' | 'none' | 'some', source: Fn, body: Fn, state: State): Fn {
  switch (op) {
    case 'map':
      return (data) => {
        const items = source(data);
        if (!Array.isArray(items)) return [];
        return items.map((item) => {
          tick(state);
          return body(item);
        });
      };
    case 'filter':
      return (data) => {
        const items = source(data);
        if (!Array.isArray(items)) return [];
        return items.filter((item) => {
          tick(state);
          return truthy(body(item));
        });
      };
    default: {
      // all: false for an empty list; some: false; none: true (logic.js 2.0.5).
      const empty = op === 'none';
      const stopOn = op !== 'all';
      return (data) => {
        const items = source(data);
        if (!Array.isArray(items) || items.length === 0) return empty;
        for (const item of items) {
          tick(state);
          if (truthy(body(item)) === stopOn) return op === 'some';
        }
        return op !== 'some';
      };
    }
  }
}

type PureFn = (...args: unknown[]) => unknown;

/** Avoids an argument array per call for the usual arities. */
function applyPure(fn: PureFn, items: Fn[]): Fn {
  switch (items.length) {
    case 0:
      return () => fn();
    case 1: {
      const [a] = items as [Fn];
      return (data) => fn(a(data));
    }
    case 2: {
      const [a, b] = items as [Fn, Fn];
      return (data) => fn(a(data), b(data));
    }
    case 3: {
      const [a, b, c] = items as [Fn, Fn, Fn];
      return (data) => fn(a(data), b(data), c(data));
    }
    default:
      return (data) => fn(...items.map((item) => item(data)));
  }
}

const ANY = Number.POSITIVE_INFINITY;

/* biome-ignore-start lint/suspicious/noDoubleEquals: JSON Logic's == and != are JavaScript's loose comparisons */
const PURE_OPERATORS: Readonly<Record<string, { min: number; max: number; fn: PureFn }>> = {
  '==': { min: 2, max: 2, fn: (a, b) => a == b },
  '!=': { min: 2, max: 2, fn: (a, b) => a != b },
  '===': { min: 2, max: 2, fn: (a, b) => a === b },
  '!==': { min: 2, max: 2, fn: (a, b) => a !== b },
  '>': { min: 2, max: 2, fn: (a, b) => (a as number) > (b as number) },
  '>=': { min: 2, max: 2, fn: (a, b) => (a as number) >= (b as number) },
  '<': { min: 2, max: 3, fn: (a, b, c) => between(a, b, c, false) },
  '<=': { min: 2, max: 3, fn: (a, b, c) => between(a, b, c, true) },
  '!': { min: 1, max: 1, fn: (a) => !truthy(a) },
  '!!': { min: 1, max: 1, fn: (a) => truthy(a) },
  '%': { min: 2, max: 2, fn: (a, b) => (a as number) % (b as number) },
  '+': {
    min: 0,
    max: ANY,
    fn: (...values) => values.reduce<number>((sum, v) => sum + parseFloat(v as string), 0),
  },
  '*': {
    min: 1,
    max: ANY,
    fn: (...values) => values.reduce((p, v) => parseFloat(p as string) * parseFloat(v as string)),
  },
  '-': { min: 1, max: 2, fn: (a, b) => (b === undefined ? -(a as number) : (a as number) - (b as number)) },
  '/': { min: 2, max: 2, fn: (a, b) => (a as number) / (b as number) },
  min: { min: 1, max: ANY, fn: (...values) => Math.min(...(values as number[])) },
  max: { min: 1, max: ANY, fn: (...values) => Math.max(...(values as number[])) },
  in: {
    min: 2,
    max: 2,
    fn: (a, b) => (typeof b === 'string' ? b.includes(String(a)) : Array.isArray(b) && b.includes(a)),
  },
  cat: { min: 0, max: ANY, fn: (...values) => bounded(values.join('')) },
  substr: { min: 2, max: 3, fn: (source, start, length) => substr(String(source), start, length) },
  merge: { min: 0, max: ANY, fn: (...values) => boundedArray(([] as unknown[]).concat(...values)) },
};
/* biome-ignore-end lint/suspicious/noDoubleEquals: end */

const SUPPORTED = [
  'var',
  'missing',
  'missing_some',
  'if',
  '?:',
  'and',
  'or',
  'map',
  'filter',
  'reduce',
  'all',
  'none',
  'some',
  ...Object.keys(PURE_OPERATORS),
];

function between(a: unknown, b: unknown, c: unknown, inclusive: boolean): boolean {
  const lt = (x: unknown, y: unknown) =>
    inclusive ? (x as number) <= (y as number) : (x as number) < (y as number);
  return c === undefined ? lt(a, b) : lt(a, b) && lt(b, c);
}

/** `substr` as logic.js 2.0.5: a negative length drops that many characters from the end. */
function substr(source: string, startValue: unknown, lengthValue: unknown): string {
  const start = Math.trunc(Number(startValue)) || 0;
  const from = start < 0 ? Math.max(source.length + start, 0) : Math.min(start, source.length);
  const rest = source.slice(from);
  if (lengthValue === undefined) return rest;
  const length = Math.trunc(Number(lengthValue)) || 0;
  return length < 0 ? rest.slice(0, Math.max(rest.length + length, 0)) : rest.slice(0, length);
}

function bounded(value: string): string {
  if (value.length > LOGIC_LIMITS.maxStringLength) {
    throw new Error(`the expression built a string longer than ${LOGIC_LIMITS.maxStringLength} characters`);
  }
  return value;
}

function boundedArray(value: unknown[]): unknown[] {
  if (value.length > LOGIC_LIMITS.maxArrayLength) {
    throw new Error(`the expression built an array longer than ${LOGIC_LIMITS.maxArrayLength} items`);
  }
  return value;
}
