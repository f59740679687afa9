/**
 * Bounds nesting before anything walks a document: an object nested deeper than `maxDepth`
 * containers is rejected with the path where the limit was crossed. The walk recurses at most
 * `maxDepth` frames (it stops there), so a hostile body cannot overflow the stack; the path is
 * built only when rejecting (this runs on every admission request).
 */
export function findTooDeep(value: unknown, maxDepth: number): string | undefined {
  const deepest = tooDeep(value, 0, maxDepth);
  return deepest === undefined ? undefined : pathTo(value, deepest);
}

/** The first container found at depth `maxDepth`, or undefined. */
function tooDeep(value: unknown, depth: number, maxDepth: number): object | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= maxDepth) return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = tooDeep(item, depth + 1, maxDepth);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const found = tooDeep((value as Record<string, unknown>)[key], depth + 1, maxDepth);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The JSON pointer of `target` inside `root` (found again by identity, on the error path only). */
function pathTo(root: unknown, target: unknown): string {
  const stack: { value: unknown; path: string }[] = [{ value: root, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === target) return path === '' ? '/' : path;
    if (value === null || typeof value !== 'object') continue;
    for (const [key, child] of Object.entries(value))
      stack.push({ value: child, path: `${path}/${escapePointer(key)}` });
  }
  return '/';
}

/** RFC 6901 escaping of one reference token. */
export function escapePointer(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}
