/**
 * `rule: expression` entries: their JSON Logic `when` translated to CEL over the same facts, for
 * the operators whose meaning CEL can state exactly (json-logic/compile.ts, logic.js 2.0.5
 * semantics): `var` of a fact, `!`, `!!`, `and`, `or`, `if`/`?:`, `==`/`===`/`!=`/`!==` between a
 * fact and a literal (or two facts of one type), `in` with a literal list or string. Anything else
 * (arithmetic, loops, loose comparisons across types, computed paths, `image.error`) is reported
 * as not exported rather than approximated. Facts that are null in the engine (the name of an
 * invalid image, a missing tag) are "absent" here: falsy, equal only to null.
 */
import { allOf, anyOf, not, str, strList } from '../cel.js';
import { familiarName } from '../reference.js';
import { OBJECT } from '../workloads.js';
import type { Translator } from './translator.js';

export class Untranslatable extends Error {}

/** A fact in CEL: whether it is present (not null), and its value when it is. */
export interface Fact {
  present: string;
  value: string;
  type: 'string' | 'bool';
}

/** The facts (rule-contract.ts Facts) as CEL over the ref `r` and the request. */
export function fact(path: string, r: string): Fact {
  const always = (value: string): Fact => ({ present: 'true', value, type: 'string' });
  const whenValid = (value: string): Fact => ({ present: `${r}.valid`, value, type: 'string' });
  const bool = (value: string): Fact => ({ present: 'true', value, type: 'bool' });
  const map = (prefix: string, from: string): Fact | undefined => {
    if (!path.startsWith(prefix)) return undefined;
    const key = str(path.slice(prefix.length));
    return { present: `has(${from}) && ${key} in ${from}`, value: `${from}[${key}]`, type: 'string' };
  };
  switch (path) {
    case 'image.raw':
      return always(`${r}.raw`);
    case 'image.valid':
      return bool(`${r}.valid`);
    case 'image.name':
      return whenValid(`${r}.name`);
    case 'image.domain':
      return whenValid(`${r}.domain`);
    case 'image.path':
      return whenValid(`${r}.path`);
    case 'image.familiar':
      return whenValid(familiarName(r));
    case 'image.tag':
    case 'image.digest': {
      const field = `${r}.${path.slice('image.'.length)}`;
      return { present: `${r}.valid && ${field} != ''`, value: field, type: 'string' };
    }
    case 'pullPolicy.declared':
      return { present: `${r}.policy != ''`, value: `${r}.policy`, type: 'string' };
    case 'pullPolicy.effective':
      return always(`${r}.effective`);
    case 'pullPolicy.explicit':
      return bool(`${r}.policy != ''`);
    case 'container.name':
      return always(`${r}.container`);
    case 'container.type':
      return always(`${r}.type`);
    case 'workload.apiVersion':
      return always(`${OBJECT}.apiVersion`);
    case 'workload.kind':
      return always(`${OBJECT}.kind`);
    case 'workload.name':
      return always('variables.workloadName');
    case 'namespace.name':
      return always('namespaceObject.metadata.name');
    case 'admitted':
      return bool('true');
  }
  const mapped =
    map('workload.labels.', `${OBJECT}.metadata.labels`) ??
    map('workload.annotations.', `${OBJECT}.metadata.annotations`) ??
    map('namespace.labels.', 'namespaceObject.metadata.labels');
  if (mapped) return mapped;
  throw new Untranslatable(`the fact "${path}" has no CEL counterpart`);
}

type Literal = string | number | boolean | null;

const isLiteral = (v: unknown): v is Literal =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** JSON Logic truthiness of a literal (logic.js `truthy`). */
const truthy = (v: unknown) => (Array.isArray(v) ? v.length > 0 : Boolean(v));

function operation(node: unknown): { op: string; args: unknown[] } {
  const keys = Object.keys(node as object);
  const op = keys[0] as string;
  const raw = (node as Record<string, unknown>)[op];
  return { op, args: Array.isArray(raw) ? raw : [raw] };
}

/** `{"var": "image.tag"}` → the fact it names. */
function varFact(node: unknown, r: string): Fact | undefined {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
  const { op, args } = operation(node);
  if (op !== 'var') return undefined;
  if (typeof args[0] !== 'string' || args[0] === '')
    throw new Untranslatable('a computed or empty `var` path');
  const found = fact(args[0], r);
  if (args.length > 1) {
    // A fallback replaces only a missing map key: facts are null, never missing.
    if (!found.present.includes(' in ') || !isLiteral(args[1]) || typeof args[1] !== 'string') {
      throw new Untranslatable('a `var` fallback other than a string for a label or annotation');
    }
    return {
      present: 'true',
      value: `(${found.present} ? ${found.value} : ${str(args[1])})`,
      type: 'string',
    };
  }
  return found;
}

/** CEL of `node` in a boolean context (its JSON Logic truthiness). */
function truth(node: unknown, r: string): string {
  if (isLiteral(node) || Array.isArray(node)) return truthy(node) ? 'true' : 'false';
  const f = varFact(node, r);
  if (f) return f.type === 'bool' ? f.value : allOf([f.present, `${f.value} != ''`]);
  const { op, args } = operation(node);
  switch (op) {
    case '!':
      return not(truth(args[0], r));
    case '!!':
      return truth(args[0], r);
    case 'and':
      return allOf(args.map((a) => truth(a, r)));
    case 'or':
      return anyOf(args.map((a) => truth(a, r)));
    case 'if':
    case '?:': {
      let out = args.length % 2 === 1 ? truth(args[args.length - 1], r) : 'false';
      for (let i = args.length - (args.length % 2 === 1 ? 3 : 2); i >= 0; i -= 2) {
        out = `(${truth(args[i], r)} ? ${truth(args[i + 1], r)} : ${out})`;
      }
      return out;
    }
    case '==':
    case '===':
      return equals(args[0], args[1], op === '===', r);
    case '!=':
    case '!==':
      return not(equals(args[0], args[1], op === '!==', r));
    case 'in':
      return contains(args[0], args[1], r);
  }
  throw new Untranslatable(`the operator "${op}"`);
}

function equals(a: unknown, b: unknown, strict: boolean, r: string): string {
  const fa = varFact(a, r);
  const fb = varFact(b, r);
  if (!fa && !fb) {
    if (!isLiteral(a) || !isLiteral(b)) throw new Untranslatable('a comparison of computed values');
    // biome-ignore lint/suspicious/noDoubleEquals: JSON Logic's == is JavaScript's loose equality
    return (strict ? a === b : a == b) ? 'true' : 'false';
  }
  if (fa && fb) {
    if (fa.type !== fb.type) throw new Untranslatable('a comparison of facts of different types');
    return `((${fa.present} && ${fb.present}) ? ${fa.value} == ${fb.value} : (!(${fa.present}) && !(${fb.present})))`;
  }
  const f = (fa ?? fb) as Fact;
  const literal = fa ? b : a;
  if (!isLiteral(literal)) throw new Untranslatable('a comparison with a computed value');
  if (literal === null) return not(f.present);
  if (f.type === 'bool') {
    if (typeof literal !== 'boolean') throw new Untranslatable('a loose comparison of a boolean fact');
    return literal ? f.value : not(f.value);
  }
  if (typeof literal !== 'string') {
    if (strict) return 'false';
    throw new Untranslatable('a loose comparison of a string fact with a number or boolean');
  }
  return allOf([f.present, `${f.value} == ${str(literal)}`]);
}

function contains(needle: unknown, haystack: unknown, r: string): string {
  const n = varFact(needle, r);
  const h = varFact(haystack, r);
  if (Array.isArray(haystack) && haystack.every(isLiteral) && n && n.type === 'string') {
    const strings = haystack.filter((v): v is string => typeof v === 'string');
    return anyOf([
      strings.length === 0 ? 'false' : allOf([n.present, `${n.value} in ${strList(strings)}`]),
      haystack.includes(null) ? not(n.present) : 'false',
    ]);
  }
  if (h && h.type === 'string' && typeof needle === 'string') {
    return allOf([h.present, `${h.value}.contains(${str(needle)})`]);
  }
  if (h && h.type === 'string' && n && n.type === 'string') {
    // `b.includes(String(a))`: an absent needle is looked for as the text "null".
    return allOf([h.present, `${h.value}.contains(${n.present} ? ${n.value} : 'null')`]);
  }
  if (typeof haystack === 'string' && n && n.type === 'string') {
    return `(${n.present} ? ${str(haystack)}.contains(${n.value}) : ${haystack.includes('null') ? 'true' : 'false'})`;
  }
  throw new Untranslatable('an `in` other than a fact in a literal list or string');
}

/** The `when` of an expression entry, as a violation over the ref `r`. */
export const expression: Translator = (rule) => {
  const when = rule.entry?.when;
  try {
    truth(when, 'r');
  } catch (error) {
    if (error instanceof Untranslatable)
      return { unexported: `its \`when\` uses ${error.message}, which has no exact CEL translation` };
    throw error;
  }
  return {
    validation: {
      violation: (r) => truth(when, r),
      message: `the image matches the condition of ${rule.id}`,
    },
  };
};
