/**
 * CEL source text, built from parts: literals are quoted here and nowhere else, and boolean
 * composition folds constants, so generated expressions stay short and never depend on
 * hand-written escaping.
 *
 * Only the CEL standard library and the strings extension are used (every Kubernetes version a
 * ValidatingAdmissionPolicy is GA in, 1.30+, has them; k8s.io/apiserver pkg/cel/environment
 * base.go enables `ext.Strings(ext.StringsVersion(2))` from 1.29). The API server compiles with
 * `cel.HomogeneousAggregateLiterals()` and, from 1.29, `ValidateHomogeneousAggregateLiterals`:
 * every list and map literal must have elements of one type, which is why `record` wraps each
 * value in `dyn()`.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A CEL string literal. JSON's escapes (`\"`, `\\`, `\n`, `\uXXXX`) are CEL's; lone surrogates cannot be written. */
export function str(value: string): string {
  return JSON.stringify(value.replace(LONE_SURROGATE, '\uFFFD'));
}

/** A CEL list literal of strings. */
export function strList(values: readonly string[]): string {
  return `[${values.map(str).join(', ')}]`;
}

/** A CEL map literal `{'a': true, …}`: `key in map` is one lookup, `key in list` walks the list. */
export function strSet(values: readonly string[]): string {
  return `{${[...new Set(values)].map((v) => `${str(v)}: true`).join(', ')}}`;
}

/** An RE2 pattern that matches `text` literally. */
export function reQuote(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** A map literal whose values may differ in type: each is `dyn(…)`, so the literal is homogeneous. */
export function record(fields: Readonly<Record<string, string>>): string {
  return `{${Object.entries(fields)
    .map(([key, value]) => `${str(key)}: dyn(${value})`)
    .join(', ')}}`;
}

export const TRUE = 'true';
export const FALSE = 'false';

/** `a || b || …`, with constants folded. */
export function anyOf(parts: readonly string[]): string {
  if (parts.includes(TRUE)) return TRUE;
  const live = parts.filter((p) => p !== FALSE);
  if (live.length === 0) return FALSE;
  return live.length === 1 ? (live[0] as string) : `(${live.join(' || ')})`;
}

/** `a && b && …`, with constants folded. */
export function allOf(parts: readonly string[]): string {
  if (parts.includes(FALSE)) return FALSE;
  const live = parts.filter((p) => p !== TRUE);
  if (live.length === 0) return TRUE;
  return live.length === 1 ? (live[0] as string) : `(${live.join(' && ')})`;
}

export function not(expression: string): string {
  if (expression === TRUE) return FALSE;
  if (expression === FALSE) return TRUE;
  return /^[\w.]+$/.test(expression) ? `!${expression}` : `!(${expression})`;
}
