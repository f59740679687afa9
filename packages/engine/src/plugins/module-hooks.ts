/**
 * Module customization hooks (Node's `module.register`, 20.6+) registered in each plugin worker:
 * a plugin that imports one of the host's packages (`@pullguard/sdk`, `@pullguard/engine`) gets
 * the host's own copy, wherever the plugin lives and whether or not its folder has node_modules —
 * as a peer dependency would. Only exact specifiers are mapped; everything else resolves as usual.
 * Runs on Node's hooks thread, so it imports nothing of the engine.
 */

type Resolve = (
  specifier: string,
  context: unknown,
) => Promise<{ url: string; format?: string | null | undefined; shortCircuit?: boolean | undefined }>;

/** Bare specifier → file URL, given by the worker that registers these hooks. */
let hostModules: Readonly<Record<string, string>> = {};

export function initialize(data: Readonly<Record<string, string>>): void {
  hostModules = data;
}

export function resolve(specifier: string, context: unknown, nextResolve: Resolve) {
  const url = Object.hasOwn(hostModules, specifier) ? hostModules[specifier] : undefined;
  if (url !== undefined) return { url, shortCircuit: true };
  return nextResolve(specifier, context);
}
