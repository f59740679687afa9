/**
 * Bounds nesting before anything walks a document: an object nested deeper than `maxDepth`
 * containers is rejected with the path where the limit was crossed. Iterative, so a hostile body
 * cannot overflow the stack of the check itself.
 */
export function findTooDeep(value: unknown, maxDepth: number): string | undefined {
  // Hot path (every admission request): track depths only; build the path only when rejecting.
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return pathTo(value, v);
    if (Array.isArray(v)) {
      for (const item of v) {
        values.push(item);
        depths.push(depth + 1);
      }
    } else {
      for (const key in v) {
        if (!Object.hasOwn(v, key)) continue;
        values.push((v as Record<string, unknown>)[key]);
        depths.push(depth + 1);
      }
    }
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
