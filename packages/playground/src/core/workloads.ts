import type { ContainerType, LoadedManifests, PullPolicy } from '@pullguard/engine';

/** A workload of the Manifests editor and the images it runs, where each is written. */
export interface WorkloadView {
  objectIndex: number;
  kind: string;
  name: string;
  namespace: string | undefined;
  line: number | undefined;
  images: {
    container: string;
    type: ContainerType;
    raw: string;
    line: number | undefined;
    column: number | undefined;
    pullPolicy: PullPolicy;
    /** The pull policy is written in the manifest (not the API server's default). */
    explicit: boolean;
  }[];
}

export function workloadsOf(loaded: LoadedManifests): WorkloadView[] {
  const byIndex = new Map<number, WorkloadView>();
  for (const object of loaded.objects) {
    if (!object.workload) continue;
    byIndex.set(object.index, {
      objectIndex: object.index,
      kind: object.kind,
      name: object.name,
      namespace: object.namespace,
      line: object.location?.line,
      images: [],
    });
  }
  for (const image of loaded.images) {
    byIndex.get(image.objectIndex)?.images.push({
      container: image.container.name,
      type: image.container.type,
      raw: image.raw,
      line: image.location?.line,
      column: image.location?.column,
      pullPolicy: image.pullPolicy.effective,
      explicit: image.pullPolicy.explicit,
    });
  }
  return [...byIndex.values()];
}
