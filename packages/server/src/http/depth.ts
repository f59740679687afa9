/**
 * Bounds nesting before anything walks a document: an object nested deeper than `maxDepth`
 * containers is rejected with the path where the limit was crossed. Iterative, so a hostile body
 * cannot overflow the stack of the check itself.
 */
export function findTooDeep(value: unknown, maxDepth: number): string | undefined {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { value: v, depth, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return path === '' ? '/' : path;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ value: v[i], depth: depth + 1, path: `${path}/${i}` });
    } else {
      for (const key of Object.keys(v)) {
        stack.push({
          value: (v as Record<string, unknown>)[key],
          depth: depth + 1,
          path: `${path}/${escapePointer(key)}`,
        });
      }
    }
  }
  return undefined;
}

/** RFC 6901 escaping of one reference token. */
export function escapePointer(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}
