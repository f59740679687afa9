/**
 * What a failed validation says. `message` is static: the rule id, then what the rule asks, so a
 * denial reads like pullguard's (`require-digest: …`). `messageExpression` adds the images at
 * fault, or renders the entry's own `message:` (its `{{fact}}` placeholders) for the first one.
 * The API server evaluates every messageExpression of a policy, so they stay as cheap as the
 * validations; one that fails or renders more than 5 KiB or a line break falls back to `message`
 * (validating/validator.go).
 */
import { str } from './cel.js';
import { fact, Untranslatable } from './rules/expression.js';

/** message-template.ts PLACEHOLDER. */
const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

export interface Messages {
  message: string;
  messageExpression: string;
}

/** `offenders`: CEL, the refs that fail (`variables.refs.filter(r, …)`). */
export function messages(
  id: string,
  sentence: string,
  override: string | undefined,
  offenders: string,
): Messages {
  const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  if (override === undefined) {
    return {
      message: oneLine(`${id}: ${sentence}`),
      messageExpression: `${str(`${id}: `)} + ${offenders}.map(r, r.container + ' (' + r.raw + ')').join(', ') + ${str(`: ${oneLine(sentence)}`)}`,
    };
  }
  const text = oneLine(override);
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    parts.push(str(text.slice(last, match.index)));
    parts.push(placeholder(match[1] as string, match[0]));
    last = match.index + match[0].length;
  }
  parts.push(str(text.slice(last)));
  const rendered = parts.filter((p) => p !== '""').join(' + ') || '""';
  return {
    message: `${id}: ${text}`,
    messageExpression: `${str(`${id}: `)} + ${offenders}.map(r, ${rendered})[0]`,
  };
}

/** A placeholder as the engine renders it (null → ''); one CEL cannot compute stays as written. */
function placeholder(path: string, written: string): string {
  try {
    const f = fact(path, 'r');
    const value = f.type === 'bool' ? `string(${f.value})` : f.value;
    return f.present === 'true' ? value : `(${f.present} ? ${value} : '')`;
  } catch (error) {
    if (error instanceof Untranslatable) return str(written);
    throw error;
  }
}
