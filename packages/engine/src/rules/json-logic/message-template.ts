/**
 * Messages with placeholders, `{{image.familiar}} is not allowed in {{namespace.name}}`, compiled
 * once: the placeholders are fact paths read as JSON Logic `var` reads them (own properties only).
 */
import type { FactGroup, Facts } from '../../rule-contract.js';
import { LogicError } from './compile.js';
import { readOwn, resolveFactPath } from './fact-paths.js';

export interface MessageTemplate {
  render(facts: Facts): string;
  /** Fact groups the placeholders read. */
  reads: readonly FactGroup[];
}

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/** Throws LogicError (path = the placeholder) when a placeholder names no fact. */
export function compileMessageTemplate(text: string): MessageTemplate {
  const literals: string[] = [];
  const paths: (readonly string[])[] = [];
  const reads = new Set<FactGroup>();
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const resolved = resolveFactPath(match[1]!);
    if (typeof resolved === 'string')
      throw new LogicError(`placeholder ${match[0]}: ${resolved}`, [match[0]]);
    literals.push(text.slice(last, match.index));
    paths.push(resolved.segments);
    reads.add(resolved.group);
    last = match.index + match[0].length;
  }
  if (paths.length === 0) return { render: () => text, reads: [] };
  literals.push(text.slice(last));
  return {
    render(facts) {
      let out = literals[0]!;
      for (let i = 0; i < paths.length; i++)
        out += display(readOwn(facts, paths[i]!, null)) + literals[i + 1]!;
      return out;
    },
    reads: [...reads],
  };
}

function display(value: unknown): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map(display).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
