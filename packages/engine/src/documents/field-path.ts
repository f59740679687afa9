/**
 * Field paths as people read them: `spec.rules[2].with.registries[0]`, with keys that are not
 * plain identifiers quoted: `spec.namespaceSelector.matchLabels["app.kubernetes.io/name"]`.
 */

export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

export function formatFieldPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Inverse of formatFieldPath; unparseable rests are ignored (locating then falls back to a parent). */
export function parseFieldPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const token = /\.?([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  let match = token.exec(path);
  while (match) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(match[3] as string) as string);
    if (token.lastIndex === path.length) break;
    match = token.exec(path);
  }
  return segments;
}

/** Append a path relative to `base` (`registries[2]` below `spec.rules[1].with`). */
export function joinFieldPath(base: string, relative: string | undefined): string {
  if (!relative) return base;
  return formatFieldPath([...parseFieldPath(base), ...parseFieldPath(relative)]);
}
