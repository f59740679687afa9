import { describe, expect, it } from 'vitest';
import { loadManifestObjects } from '../manifests/load-manifests.js';
import { REGISTRY_NOT_CONSULTED } from '../registry/registry-facts.js';
import type { RegistryFacts } from '../rule-contract.js';
import type { ExtractedImage } from '../types.js';
import { cacheKey } from './cache-key.js';
import { KEY_CONTAINER, KEY_REGISTRY, type PreparedPlan } from './prepared-plan.js';
import { ResultCache } from './result-cache.js';

function imageOf(container: Record<string, unknown>, list = 'containers'): ExtractedImage {
  const loaded = loadManifestObjects({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns' },
    spec: { [list]: [{ name: 'c', ...container }] },
  });
  return loaded.images[0]!;
}

const plan = (serial: number, keyParts = 0) => ({ serial, keyParts }) as PreparedPlan;

describe('result-cache keys', () => {
  const interner = new ResultCache({ max: 100 });
  const key = (image: ExtractedImage, p = plan(1), admitted = false, registry = REGISTRY_NOT_CONSULTED) =>
    cacheKey(interner, p, image, '', admitted, registry);
  const nginx = imageOf({ image: 'nginx:1.27' });

  it('are one number for the common case: a plan reading image facts only, a standard or unset pull policy', () => {
    expect(typeof key(nginx)).toBe('number');
    expect(typeof key(imageOf({ image: 'nginx:1.27', imagePullPolicy: 'Never' }))).toBe('number');
    expect(key(imageOf({ image: 'nginx:1.27' }))).toBe(key(nginx));
  });

  it('differ in every fact they stand for: image, plan, admission, container type, declared policy', () => {
    const keys = [
      key(nginx),
      key(imageOf({ image: 'nginx:1.28' })),
      key(nginx, plan(2)),
      key(nginx, plan(1), true),
      key(imageOf({ image: 'nginx:1.27' }, 'initContainers')),
      key(imageOf({ image: 'nginx:1.27', imagePullPolicy: 'Always' })),
      key(imageOf({ image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent' })),
      key(imageOf({ image: 'nginx:1.27', imagePullPolicy: 'Never' })),
      key(imageOf({ image: 'nginx:1.27', imagePullPolicy: 'always' })),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('fall back to strings for an unusual declared value, and for plans whose rules read more facts', () => {
    expect(key(imageOf({ image: 'nginx:1.27', imagePullPolicy: 'always' }))).toMatch(
      /^1:Scontainer\|\d+\|6:always$/,
    );
    const byName = plan(1, KEY_CONTAINER);
    expect(typeof key(nginx, byName)).toBe('string');
    expect(key(imageOf({ image: 'nginx:1.27', name: 'other' }), byName)).not.toBe(key(nginx, byName));
  });

  it('fall back to strings past the bounds that keep a packed number exact', () => {
    expect(typeof key(nginx, plan(2 ** 15))).toBe('string');
    expect(key(nginx, plan(2 ** 15))).not.toBe(key(nginx, plan(2 ** 15 + 1)));
  });

  it('carry the digests a registry rule was judged on, so a moved tag never reuses an outcome', () => {
    const D1 = `sha256:${'1'.repeat(64)}`;
    const D2 = `sha256:${'2'.repeat(64)}`;
    const resolved = (digest: string, extra: Partial<RegistryFacts> = {}): RegistryFacts => ({
      ...REGISTRY_NOT_CONSULTED,
      status: 'resolved',
      digest,
      index: false,
      tagStatus: 'resolved',
      tagDigest: digest,
      message: null,
      ...extra,
    });
    const reads = plan(1, KEY_REGISTRY);
    const keys = [
      key(nginx, reads, false, resolved(D1)),
      key(nginx, reads, false, resolved(D2)),
      key(nginx, reads, false, resolved(D1, { tagDigest: D2 })),
      key(nginx, reads, false, resolved(D1, { index: true })),
      key(nginx, reads, false, resolved(D1, { stale: true })),
      key(nginx, reads, false, { ...REGISTRY_NOT_CONSULTED, status: 'not-found', tagStatus: 'not-found' }),
      key(nginx, reads, false, REGISTRY_NOT_CONSULTED),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(key(nginx, reads, false, resolved(D1))).toBe(keys[0]);
    // Plans that do not read the registry do not key on it.
    expect(key(nginx, plan(1), false, resolved(D1))).toBe(key(nginx, plan(1), false, resolved(D2)));
  });
});
