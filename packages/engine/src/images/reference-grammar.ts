/**
 * The image reference grammar of github.com/distribution/reference v0.6.0 (regexp.go), implemented as
 * linear hand-written scanners instead of regular expressions: every check walks its slice of the
 * input once, so no input (not even megabytes) can make it backtrack, and every failure knows the
 * offset of the offending character.
 *
 *   domainAndPort  := host [':' port]          host := domainName | '[' [a-fA-F0-9:]+ ']'
 *   domainName     := domainComponent ('.' domainComponent)*
 *   domainComponent:= [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
 *   remoteName     := pathComponent ('/' pathComponent)*
 *   pathComponent  := [a-z0-9]+ (separator [a-z0-9]+)*      separator := [._] | '__' | '-'+
 *   tag            := [\w][\w.-]{0,127}                      (\w is ASCII: [A-Za-z0-9_])
 *   digest         := algorithm ':' [0-9a-fA-F]{32,}
 *   algorithm      := [A-Za-z][A-Za-z0-9]* ([-_+.] [A-Za-z][A-Za-z0-9]*)*
 *
 * Each scanner checks `input` between `start` (inclusive) and `end` (exclusive) and returns the
 * first problem, or undefined when the slice is well formed.
 */

/** A grammar violation: what is wrong, and the 0-based offset in the original input. */
export interface GrammarProblem {
  message: string;
  offset: number;
}

/** `tag := [\w][\w.-]{0,127}` (regexp.go v0.6.0). */
export const TAG_MAX_LENGTH = 128;
/** `digest-hex := [0-9a-fA-F]{32,}`: at least a 128-bit value (reference.go v0.6.0 grammar). */
export const DIGEST_HEX_MIN_LENGTH = 32;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isLower = (c: number): boolean => c >= 0x61 && c <= 0x7a;
const isUpper = (c: number): boolean => c >= 0x41 && c <= 0x5a;
const isLetter = (c: number): boolean => isLower(c) || isUpper(c);
const isLowerAlnum = (c: number): boolean => isLower(c) || isDigit(c);
const isAlnum = (c: number): boolean => isLetter(c) || isDigit(c);
const isWord = (c: number): boolean => isAlnum(c) || c === 0x5f; // Go RE2 \w is ASCII-only
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
const isPathSeparator = (c: number): boolean => c === 0x2e || c === 0x5f || c === 0x2d; // . _ -

/** Quotes one character for a message, making invisible ones visible: `' '`, `'\n'`, `'é'`. */
export function describeChar(input: string, offset: number): string {
  const codePoint = input.codePointAt(offset) ?? 0;
  const char = String.fromCodePoint(codePoint);
  if (codePoint <= 0x20 || codePoint === 0x7f || /^\s$/u.test(char)) {
    return codePoint === 0x20 ? "' '" : `'${JSON.stringify(char).slice(1, -1)}'`;
  }
  return `'${char}'`;
}

function invalidChar(input: string, offset: number, where: string): GrammarProblem {
  return { message: `invalid character ${describeChar(input, offset)} ${where} at offset ${offset}`, offset };
}

/** `domainAndPort` (regexp.go v0.6.0): a DNS-like name, IPv4 address or bracketed IPv6 address, then an optional port. */
export function checkDomain(input: string, start: number, end: number): GrammarProblem | undefined {
  if (start >= end) return { message: `the registry host is empty at offset ${start}`, offset: start };
  let hostEnd: number;
  if (input.charCodeAt(start) === 0x5b /* [ */) {
    const close = input.indexOf(']', start);
    if (close === -1 || close >= end) {
      return { message: `IPv6 address at offset ${start} has no closing ']'`, offset: start };
    }
    if (close === start + 1) return { message: `empty IPv6 address at offset ${start}`, offset: start };
    for (let i = start + 1; i < close; i++) {
      const c = input.charCodeAt(i);
      if (!isHex(c) && c !== 0x3a) return invalidChar(input, i, 'in the IPv6 address');
    }
    hostEnd = close + 1;
    if (hostEnd < end && input.charCodeAt(hostEnd) !== 0x3a) {
      return invalidChar(input, hostEnd, 'after the IPv6 address');
    }
  } else {
    const colon = input.indexOf(':', start);
    hostEnd = colon === -1 || colon >= end ? end : colon;
    const problem = checkDomainName(input, start, hostEnd);
    if (problem) return problem;
  }
  return hostEnd < end ? checkPort(input, hostEnd + 1, end) : undefined;
}

function checkDomainName(input: string, start: number, end: number): GrammarProblem | undefined {
  let labelStart = start;
  for (let i = start; i <= end; i++) {
    const c = i < end ? input.charCodeAt(i) : 0x2e;
    if (c === 0x2e /* . */) {
      if (i === labelStart) return { message: `empty label in the registry host at offset ${i}`, offset: i };
      if (input.charCodeAt(labelStart) === 0x2d) {
        return {
          message: `a registry host label starts with '-' at offset ${labelStart}`,
          offset: labelStart,
        };
      }
      if (input.charCodeAt(i - 1) === 0x2d) {
        return { message: `a registry host label ends with '-' at offset ${i - 1}`, offset: i - 1 };
      }
      labelStart = i + 1;
    } else if (!isAlnum(c) && c !== 0x2d) {
      return invalidChar(input, i, 'in the registry host');
    }
  }
  return undefined;
}

function checkPort(input: string, start: number, end: number): GrammarProblem | undefined {
  if (start >= end) return { message: `the registry port is empty at offset ${start}`, offset: start };
  for (let i = start; i < end; i++) {
    if (!isDigit(input.charCodeAt(i))) return invalidChar(input, i, 'in the registry port');
  }
  return undefined;
}

/** `remoteName` (regexp.go v0.6.0): lowercase path components joined by `/`. */
export function checkRemoteName(input: string, start: number, end: number): GrammarProblem | undefined {
  let i = start;
  for (;;) {
    if (i >= end || !isLowerAlnum(input.charCodeAt(i))) return componentStartProblem(input, i, start, end);
    for (;;) {
      while (i < end && isLowerAlnum(input.charCodeAt(i))) i++;
      if (i >= end) return undefined;
      const c = input.charCodeAt(i);
      if (c === 0x2f /* / */) {
        i++;
        break;
      }
      if (!isPathSeparator(c)) return nameCharProblem(input, i);
      const sepStart = i;
      i++;
      if (c === 0x5f && i < end && input.charCodeAt(i) === 0x5f) i++;
      else if (c === 0x2d) while (i < end && input.charCodeAt(i) === 0x2d) i++;
      if (i >= end || input.charCodeAt(i) === 0x2f) {
        return {
          message: `a path component ends with separator '${input[sepStart]}' at offset ${sepStart}`,
          offset: sepStart,
        };
      }
      if (isPathSeparator(input.charCodeAt(i))) {
        const run = input.slice(sepStart, i + 1);
        return {
          message: `invalid separator "${run}" at offset ${sepStart}: use one '.', one or two '_', or any number of '-'`,
          offset: sepStart,
        };
      }
      if (!isLowerAlnum(input.charCodeAt(i))) return nameCharProblem(input, i);
    }
  }
}

function componentStartProblem(input: string, i: number, start: number, end: number): GrammarProblem {
  if (i >= end) {
    return i === start
      ? { message: `the repository name is missing at offset ${i}`, offset: i }
      : { message: `the repository name ends with '/' at offset ${i - 1}`, offset: i - 1 };
  }
  const c = input.charCodeAt(i);
  if (c === 0x2f) return { message: `empty path component at offset ${i}`, offset: i };
  if (isPathSeparator(c)) {
    return { message: `a path component starts with separator '${input[i]}' at offset ${i}`, offset: i };
  }
  return nameCharProblem(input, i);
}

function nameCharProblem(input: string, offset: number): GrammarProblem {
  if (isUpper(input.charCodeAt(offset))) {
    return {
      message: `repository name must be lowercase (${describeChar(input, offset)} at offset ${offset})`,
      offset,
    };
  }
  return invalidChar(input, offset, 'in the repository name');
}

/** True when the whole slice is one `pathComponent`: used to tell a domain-looking first component apart. */
export function isPathComponent(input: string, start: number, end: number): boolean {
  const slash = input.indexOf('/', start);
  return (slash === -1 || slash >= end) && checkRemoteName(input, start, end) === undefined;
}

/** `tag := [\w][\w.-]{0,127}` (regexp.go v0.6.0). `start` is the first character after ':'. */
export function checkTag(input: string, start: number, end: number): GrammarProblem | undefined {
  if (start >= end)
    return { message: `the tag after ':' at offset ${start - 1} is empty`, offset: start - 1 };
  if (!isWord(input.charCodeAt(start))) {
    const c = input.charCodeAt(start);
    return c === 0x2e || c === 0x2d
      ? {
          message: `the tag must start with a letter, digit or '_', not '${input[start]}' (offset ${start})`,
          offset: start,
        }
      : invalidChar(input, start, 'in the tag');
  }
  for (let i = start + 1; i < end; i++) {
    const c = input.charCodeAt(i);
    if (!isWord(c) && c !== 0x2e && c !== 0x2d) return invalidChar(input, i, 'in the tag');
  }
  if (end - start > TAG_MAX_LENGTH) {
    return {
      message: `the tag is ${end - start} characters long; at most ${TAG_MAX_LENGTH} are allowed`,
      offset: start + TAG_MAX_LENGTH,
    };
  }
  return undefined;
}

/**
 * `digest := algorithm ':' hex` as the reference grammar accepts it (regexp.go v0.6.0 `digestPat`);
 * go-digest then validates the algorithm and encoding (see digest.ts). `start` is the first
 * character after '@'. Returns the offset of the ':' on success.
 */
export function checkDigestSyntax(input: string, start: number, end: number): GrammarProblem | number {
  let i = start;
  for (;;) {
    if (i >= end || !isLetter(input.charCodeAt(i))) {
      if (i >= end) return { message: `the digest after '@' is incomplete at offset ${i}`, offset: i };
      return i === start
        ? {
            message: `the digest algorithm must start with a letter, not ${describeChar(input, i)} (offset ${i})`,
            offset: i,
          }
        : {
            message: `a digest algorithm component must start with a letter, not ${describeChar(input, i)} (offset ${i})`,
            offset: i,
          };
    }
    i++;
    while (i < end && isAlnum(input.charCodeAt(i))) i++;
    if (i >= end)
      return { message: `the digest has no ':' between algorithm and hex (offset ${start})`, offset: start };
    const c = input.charCodeAt(i);
    if (c === 0x3a /* : */) break;
    if (c !== 0x2d && c !== 0x5f && c !== 0x2b && c !== 0x2e)
      return invalidChar(input, i, 'in the digest algorithm');
    i++;
  }
  const colon = i;
  for (let j = colon + 1; j < end; j++) {
    if (!isHex(input.charCodeAt(j))) return invalidChar(input, j, 'in the digest (hex expected)');
  }
  const hexLength = end - colon - 1;
  if (hexLength < DIGEST_HEX_MIN_LENGTH) {
    return {
      message: `the digest has ${hexLength} hex characters; at least ${DIGEST_HEX_MIN_LENGTH} are required`,
      offset: colon + 1,
    };
  }
  return colon;
}

/** `identifier := [a-f0-9]{64}` (regexp.go v0.6.0): an image ID, which is never a repository name. */
export function isIdentifier(input: string): boolean {
  if (input.length !== 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = input.charCodeAt(i);
    if (!isDigit(c) && !(c >= 0x61 && c <= 0x66)) return false;
  }
  return true;
}
