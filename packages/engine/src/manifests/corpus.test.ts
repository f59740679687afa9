/**
 * Realism: every file of the shared corpus of real-world manifests loads, and the counts match
 * the independent tally in `../shared/corpus/real/STATS.md` (repository-relative path; the corpus
 * lives outside the repository and is read in place).
 */
import { beforeAll, expect, it } from 'vitest';
import { describeWithCorpus, SHARED_CORPUS_DIR } from '../../../../vitest.corpus.js';
import type { LoadedManifests } from '../engine-api.js';
import type { ExtractedImage } from '../types.js';
import { loadManifestFiles } from './load-manifest-files.js';
import { WELL_KNOWN_POD_SPEC_PATHS } from './workload-kinds.js';

const count = <T>(items: readonly T[], key: (item: T) => string): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
};

describeWithCorpus('the real-world corpus', () => {
  const files: LoadedManifests[] = [];
  const byName = (suffix: string): LoadedManifests => {
    const found = files.find((f) => f.file?.endsWith(suffix));
    if (found === undefined) throw new Error(`no corpus file ${suffix}`);
    return found;
  };

  beforeAll(async () => {
    // Knative Service/Configuration are counted by STATS.md, so load them with the preset.
    for await (const loaded of loadManifestFiles([SHARED_CORPUS_DIR], {
      podSpecPaths: WELL_KNOWN_POD_SPEC_PATHS,
    })) {
      files.push(loaded);
    }
  });

  const objects = () => files.flatMap((f) => f.objects);
  const images = () => files.flatMap((f) => f.images);
  const isKnative = (i: ExtractedImage) => i.workload.apiVersion.startsWith('serving.knative.dev/');

  it('loads all 148 manifest files (STATS.md "files")', () => {
    expect(files).toHaveLength(148);
  });

  it('finds 679 objects after unwrapping Lists, 9 of them Namespaces (STATS.md "Totals", "Most frequent non-workload kinds")', () => {
    expect(objects()).toHaveLength(679);
    expect(files.flatMap((f) => f.namespaces)).toHaveLength(9);
  });

  it('finds 211 core workload objects plus 5 Knative ones, by kind as in STATS.md "Workload objects by kind"', () => {
    const workloads = objects().filter((o) => o.workload);
    expect(
      count(workloads, (o) =>
        o.apiVersion.startsWith('serving.knative.dev/') ? `knative ${o.kind}` : o.kind,
      ),
    ).toEqual({
      Deployment: 135,
      DaemonSet: 19,
      Pod: 18,
      StatefulSet: 13,
      Job: 12,
      ReplicationController: 11,
      CronJob: 2,
      ReplicaSet: 1,
      'knative Service': 4,
      'knative Configuration': 1,
    });
    expect(workloads.filter((o) => !o.apiVersion.startsWith('serving.knative.dev/'))).toHaveLength(211);
    expect(files.filter((f) => f.objects.some((o) => o.workload))).toHaveLength(139);
  });

  it('extracts 243 containers and 47 init containers (5 native sidecars) = 290 image references, plus 1 image volume', () => {
    // STATS.md's 243/47 include the 7 containers of the Knative objects (6 + 1 init), which its
    // PyYAML tally reads like any pod template; image volumes are not in its 290.
    const all = images();
    expect(count(all, (i) => i.container.type)).toEqual({
      container: 243,
      init: 42,
      sidecar: 5,
      volume: 1,
    });
    expect(count(all.filter(isKnative), (i) => i.container.type)).toEqual({ container: 6, init: 1 });
    const references = all.filter((i) => i.container.type !== 'volume');
    expect(references).toHaveLength(290);
    expect(new Set(references.map((i) => i.raw)).size).toBe(206);
    expect(all.filter((i) => i.container.type === 'ephemeral')).toHaveLength(0);
  });

  it('counts explicit imagePullPolicy as STATS.md "imagePullPolicy": 107 IfNotPresent, 27 Always, 2 Never, 154 missing', () => {
    const references = images().filter((i) => i.container.type !== 'volume');
    expect(count(references, (i) => i.pullPolicy.declared ?? '(missing)')).toEqual({
      IfNotPresent: 107,
      Always: 27,
      Never: 2,
      '(missing)': 154,
    });
  });

  it('reports the unrendered `{{replicas}}` template at its line as the only error, and warns about the one duplicate key', () => {
    const errors = files.flatMap((f) => f.errors);
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'TEMPLATE_NOT_RENDERED',
        severity: 'error',
        location: expect.objectContaining({ line: 6, column: 13 }),
      }),
    ]);
    expect(errors[0]?.location?.file).toMatch(/vtgate-controller-template\.yaml$/);
    const warnings = files.flatMap((f) => f.warnings ?? []);
    expect(warnings).toEqual([
      expect.objectContaining({
        code: 'YAML_SYNTAX',
        severity: 'warning',
        location: expect.objectContaining({ line: 12, column: 3 }),
        message: expect.stringContaining('duplicate key selector'),
      }),
    ]);
    expect(warnings[0]?.location?.file).toMatch(/openshift-controller\.yaml$/);
  });

  it.each([
    [
      'GoogleCloudPlatform__microservices-demo__kubernetes-manifests__cartservice.yaml',
      'cartservice',
      46,
      16,
    ],
    [
      'kubernetes__examples___archived__meteor__meteor-controller.json',
      'chees/meteor-gke-example:latest',
      22,
      22,
    ],
    ['kubernetes__website__content__en__examples__pods__image-volumes.yaml', 'debian', 15, 14],
    [
      'kubernetes__website__content__en__examples__pods__image-volumes.yaml',
      'quay.io/crio/artifact:v2',
      24,
      20,
    ],
    [
      'open-telemetry__opentelemetry-helm-charts__charts__opentelemetry-collector__examples__daemonset-lifecycle-hooks__rendered__daemonset.yaml',
      'busybox:latest',
      131,
      18,
    ],
  ])('locates %s → %s at line %i, column %i', (file, raw, line, column) => {
    const image = byName(file).images.find((i) => i.raw === raw);
    expect(image?.location).toEqual({
      file: expect.stringMatching(new RegExp(`${file.replace(/\./g, '\\.')}$`)),
      line,
      column,
    });
  });
});
