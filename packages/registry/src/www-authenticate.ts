/**
 * `WWW-Authenticate` as RFC 7235 §4.1 defines it: one or more challenges, each an auth-scheme
 * followed by either a token68 or comma-separated auth-params whose values are tokens or quoted
 * strings (RFC 7230 §3.2.6: `\` escapes the next character). Commas separate both challenges and
 * parameters, so a comma ends a parameter list only when what follows is `token` without `=`
 * (the next scheme). Registries send several: a Basic challenge beside the Bearer one, or a Bearer
 * challenge carrying `error="insufficient_scope"`.
 */

export interface Challenge {
  /** Lowercased (`bearer`, `basic`): schemes are case-insensitive (RFC 7235 §2.1). */
  readonly scheme: string;
  /** Parameter names lowercased; values unquoted and unescaped. The first of a repeated name wins. */
  readonly params: Readonly<Record<string, string>>;
  readonly token68?: string | undefined;
}

/** RFC 7230 §3.2.6 tchar. */
const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
/** RFC 7235 §2.1 token68 characters (before the `=` padding). */
const TOKEN68_CHAR = /[A-Za-z0-9\-._~+/]/;

/** Every challenge in the header, in order. Malformed tails are dropped, never thrown. */
export function parseWwwAuthenticate(header: string | undefined): Challenge[] {
  if (header === undefined) return [];
  const scanner = new Scanner(header);
  const challenges: Challenge[] = [];
  while (scanner.skipSeparators()) {
    const scheme = scanner.token();
    if (scheme === '') break; // not a challenge: nothing after it can be trusted
    challenges.push(readChallengeBody(scanner, scheme.toLowerCase()));
  }
  return challenges;
}

function readChallengeBody(scanner: Scanner, scheme: string): Challenge {
  const params: Record<string, string> = Object.create(null);
  if (!scanner.skipSpaces()) return { scheme, params };
  const token68 = scanner.token68();
  if (token68 !== undefined) return { scheme, params, token68 };
  for (;;) {
    const start = scanner.at;
    scanner.skipSpaces();
    const name = scanner.token();
    scanner.skipSpaces();
    if (name === '' || !scanner.eat('=')) {
      // The next challenge's scheme (or garbage): leave it for the outer loop.
      scanner.at = start;
      break;
    }
    scanner.skipSpaces();
    const value = scanner.peek() === '"' ? scanner.quoted() : scanner.token();
    const key = name.toLowerCase();
    if (!(key in params)) params[key] = value;
    scanner.skipSpaces();
    if (!scanner.eat(',')) break;
    while (scanner.eat(',') || scanner.skipSpaces()) {
      // empty list elements are allowed (RFC 7230 §7)
    }
  }
  return { scheme, params };
}

class Scanner {
  at = 0;
  constructor(private readonly text: string) {}

  peek(): string | undefined {
    return this.text[this.at];
  }

  eat(char: string): boolean {
    if (this.text[this.at] !== char) return false;
    this.at++;
    return true;
  }

  /** Skips spaces and tabs; true when any were skipped. */
  skipSpaces(): boolean {
    const start = this.at;
    while (this.text[this.at] === ' ' || this.text[this.at] === '\t') this.at++;
    return this.at > start;
  }

  /** Skips whitespace and commas between challenges; false at the end of the text. */
  skipSeparators(): boolean {
    while (this.at < this.text.length && /[\s,]/.test(this.text[this.at]!)) this.at++;
    return this.at < this.text.length;
  }

  token(): string {
    const start = this.at;
    while (this.at < this.text.length && TCHAR.test(this.text[this.at]!)) this.at++;
    return this.text.slice(start, this.at);
  }

  /** A token68 only when it is the whole credential: followed by the end or a comma. */
  token68(): string | undefined {
    const start = this.at;
    while (this.at < this.text.length && TOKEN68_CHAR.test(this.text[this.at]!)) this.at++;
    if (this.at === start) return undefined;
    while (this.text[this.at] === '=') this.at++;
    const end = this.at;
    this.skipSpaces();
    if (this.at >= this.text.length || this.text[this.at] === ',') {
      // `name=value` is a parameter, not a token68: a token68 has only `=` padding at its end.
      const candidate = this.text.slice(start, end);
      const firstEquals = candidate.indexOf('=');
      if (firstEquals === -1 || /^=+$/.test(candidate.slice(firstEquals))) return candidate;
    }
    this.at = start;
    return undefined;
  }

  /** A quoted-string with `\` escapes; an unterminated one ends at the end of the text. */
  quoted(): string {
    this.at++; // the opening quote
    let value = '';
    while (this.at < this.text.length) {
      const char = this.text[this.at++]!;
      if (char === '"') return value;
      if (char === '\\' && this.at < this.text.length) value += this.text[this.at++];
      else value += char;
    }
    return value;
  }
}
