/**
 * What the playground holds: the text of its four editors. This is the whole state — what Share
 * puts in the link and what opening a link restores — so the page keeps nothing else worth sharing.
 */
export interface PlaygroundState {
  /** One or more PullPolicy documents. */
  policy: string;
  /** Any YAML or JSON `pullguard check` reads. */
  manifests: string;
  /** Namespace objects, as `kubectl get namespaces -o yaml` prints them (optional). */
  namespaces: string;
  /** Registry fixtures (docs/registry.md#fixtures), optional. */
  registry: string;
}

export type EditorName = keyof PlaygroundState;

/** Editors in page order, with their titles (each editor's accessible name) and file names in messages. */
export const EDITORS: readonly { name: EditorName; title: string; file: string }[] = [
  { name: 'policy', title: 'Policy', file: 'policy.yaml' },
  { name: 'manifests', title: 'Manifests', file: 'manifests.yaml' },
  { name: 'namespaces', title: 'Namespaces', file: 'namespaces.yaml' },
  { name: 'registry', title: 'Registry', file: 'registry.yaml' },
];

export function editorOfFile(file: string | undefined): EditorName | undefined {
  return EDITORS.find((e) => e.file === file)?.name;
}

export const EMPTY_STATE: PlaygroundState = { policy: '', manifests: '', namespaces: '', registry: '' };
