import { describe, expect, it } from 'vitest';
import { loadManifestObjects } from '../manifests/load-manifests.js';
import type { ExtractedImage } from '../types.js';
import { cacheKey } from './cache-key.js';
import { KEY_CONTAINER, type PreparedPlan } from './prepared-plan.js';
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
  const key = (image: ExtractedImage, p = plan(1), admitted = false) =>
    cacheKey(interner, p, image, '', admitted);
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
});
