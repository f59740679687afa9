import { loadManifestObjects } from '@pullguard/engine';
import { describe, expect, it } from 'vitest';
import { itWithCorpus } from '../../vitest.corpus.ts';
import { companionObjects } from './companions.mjs';
import { loadRealCorpus } from './real-corpus.mjs';

describe('the warm-up companions', () => {
  it('are the same on every run (seeded)', () => {
    expect(companionObjects({ count: 50 })).toEqual(companionObjects({ count: 50 }));
    expect(companionObjects({ count: 50, seed: 1 })).not.toEqual(companionObjects({ count: 50 }));
  });

  it('hold what real repositories hold besides workloads, as the engine reads it', () => {
    const loaded = loadManifestObjects(companionObjects());
    const nonWorkloads = loaded.objects.filter((o) => !o.workload);
    expect(nonWorkloads.length / loaded.objects.length).toBeGreaterThan(0.6);
    expect(new Set(nonWorkloads.map((o) => o.kind)).size).toBeGreaterThanOrEqual(8);
    expect(loaded.namespaces.length).toBeGreaterThan(0);
    expect(loaded.objects.some((o) => o.workload && o.namespace === undefined)).toBe(true);
    expect(loaded.objects.some((o) => o.workload && o.name.endsWith('-') && o.kind === 'Job')).toBe(true);
    // a workload without a pod template (Kustomize $patch: delete) yields no image
    const withImages = new Set(loaded.images.map((i) => i.objectIndex));
    expect(loaded.objects.some((o) => o.workload && !withImages.has(o.index))).toBe(true);
    const raws = loaded.images.map((i) => i.raw);
    expect(loaded.images.some((i) => i.reference === undefined)).toBe(true);
    for (const form of [/_/, /:RELEASE\./, /^[^/]*-[^/]*\.[^/]+(:\d+)?\//, /^ko:\/\//, /^</])
      expect(raws.some((raw) => form.test(raw))).toBe(true);
    expect(loaded.errors).toEqual([]);
  });

  itWithCorpus('share no image with the real corpus, whose cache entries must stay cold', () => {
    const real = new Set(
      loadManifestObjects(loadRealCorpus().objects.map((o) => o.object)).images.map((i) => i.raw),
    );
    const companions = loadManifestObjects(companionObjects()).images.map((i) => i.raw);
    expect(companions.filter((raw) => real.has(raw))).toEqual([]);
  });
});
