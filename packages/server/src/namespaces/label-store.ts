export type Labels = Readonly<Record<string, string>>;

/**
 * Where a namespace's labels came from. Only sources an attacker cannot write: the namespaces
 * file, the Kubernetes API (list + watch with the server's ServiceAccount), and Namespace
 * admission reviews from the authenticated API server (`--learn-namespaces` with `--client-ca`).
 */
export type LabelSource = 'file' | 'kubernetes' | 'reviews';

/** Later sources win: a review is newer than the file it updates. */
const PRIORITY: readonly LabelSource[] = ['reviews', 'kubernetes', 'file'];

/**
 * The namespace labels the server believes, by source. `get` answers the labels of the most
 * trusted source that has the namespace; listeners hear every change of those effective labels
 * (undefined: the namespace is no longer known), which is how the engine is kept in step.
 */
export class NamespaceLabelStore {
  readonly #layers = new Map<LabelSource, Map<string, Labels>>(PRIORITY.map((s) => [s, new Map()]));
  readonly #listeners: ((namespace: string, labels: Labels | undefined) => void)[] = [];

  get(namespace: string): Labels | undefined {
    for (const source of PRIORITY) {
      const labels = this.#layers.get(source)!.get(namespace);
      if (labels !== undefined) return labels;
    }
    return undefined;
  }

  has(namespace: string): boolean {
    return this.get(namespace) !== undefined;
  }

  /** Namespaces known from any source. */
  get size(): number {
    return new Set(PRIORITY.flatMap((s) => [...this.#layers.get(s)!.keys()])).size;
  }

  /** Every known namespace's effective labels. */
  snapshot(): Record<string, Labels> {
    const out: Record<string, Labels> = {};
    for (const source of [...PRIORITY].reverse()) {
      for (const [namespace, labels] of this.#layers.get(source)!) out[namespace] = labels;
    }
    return out;
  }

  set(source: LabelSource, namespace: string, labels: Labels): void {
    this.#change(namespace, () => this.#layers.get(source)!.set(namespace, Object.freeze({ ...labels })));
  }

  delete(source: LabelSource, namespace: string): void {
    this.#change(namespace, () => this.#layers.get(source)!.delete(namespace));
  }

  /** Replaces everything `source` knows (a fresh list, a re-read file). */
  replace(source: LabelSource, entries: ReadonlyMap<string, Labels>): void {
    const layer = this.#layers.get(source)!;
    const namespaces = new Set([...layer.keys(), ...entries.keys()]);
    for (const namespace of namespaces) {
      const labels = entries.get(namespace);
      if (labels === undefined) this.delete(source, namespace);
      else if (!sameLabels(layer.get(namespace), labels)) this.set(source, namespace, labels);
    }
  }

  onChange(listener: (namespace: string, labels: Labels | undefined) => void): void {
    this.#listeners.push(listener);
  }

  #change(namespace: string, apply: () => void): void {
    const before = this.get(namespace);
    apply();
    const after = this.get(namespace);
    if (before === after) return;
    for (const listener of this.#listeners) listener(namespace, after);
  }
}

export function sameLabels(a: Labels | undefined, b: Labels | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}
