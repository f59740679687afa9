import { readFileSync } from 'node:fs';

export type Review = {
  apiVersion: string;
  kind: string;
  request: Record<string, unknown> & { uid: string; object: Record<string, unknown> | null };
};

/** A fresh copy of an AdmissionReview fixture (test/fixtures/<name>.json), shaped as the API server sends it. */
export function review(name: string): Review {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8')) as Review;
}

/** Applies RFC 6902 `add`/`replace` operations (what pullguard emits), failing like a strict applier would. */
export function applyPatch(
  document: unknown,
  operations: { op: string; path: string; value: unknown }[],
): unknown {
  const copy = structuredClone(document);
  for (const { op, path, value } of operations) {
    const tokens = path
      .slice(1)
      .split('/')
      .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = tokens.pop()!;
    let parent = copy as Record<string, unknown>;
    for (const t of tokens) {
      if (parent === null || typeof parent !== 'object' || !(t in parent))
        throw new Error(`path ${path} does not exist`);
      parent = parent[t] as Record<string, unknown>;
    }
    if (op === 'replace' && !(last in parent)) throw new Error(`replace needs an existing target: ${path}`);
    if (op !== 'add' && op !== 'replace') throw new Error(`unexpected op ${op}`);
    parent[last] = value;
  }
  return copy;
}

export function decodePatch(patch: string): { op: string; path: string; value: unknown }[] {
  return JSON.parse(Buffer.from(patch, 'base64').toString('utf8'));
}
