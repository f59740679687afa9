import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { loadManifests } from './load-manifests.js';

/**
 * Golden file: what loadManifests makes of a stream holding every kind of document it tells apart
 * (`__fixtures__/mixed-stream.yaml`). Review the golden like a specification; `vitest -u` rewrites it.
 */
it('loads a mixed stream into objects, images, namespaces, errors and warnings as in the golden file', async () => {
  const file = '__fixtures__/mixed-stream.yaml';
  const text = await readFile(new URL(file, import.meta.url), 'utf8');
  const loaded = loadManifests(text, { file });
  const summary = {
    objects: loaded.objects.map((o) => ({
      index: o.index,
      object: `${o.apiVersion} ${o.kind} ${o.namespace ?? '-'}/${o.name}`,
      workload: o.workload,
      at: `${o.location?.line}:${o.location?.column}`,
    })),
    images: loaded.images.map((i) => ({
      object: i.objectIndex,
      container: `${i.container.type} ${i.container.name} #${i.container.index}`,
      raw: i.raw,
      name: i.reference?.name ?? null,
      error: i.referenceError?.message ?? null,
      pullPolicy: `${i.pullPolicy.declared ?? '(unset)'} → ${i.pullPolicy.effective}`,
      pullSecrets: i.imagePullSecrets,
      pointer: i.pointer,
      at: `${i.location?.line}:${i.location?.column}`,
    })),
    namespaces: loaded.namespaces.map((n) => ({ name: n.name, labels: { ...n.labels } })),
    errors: loaded.errors.map(
      (e) =>
        `${e.location?.line}:${e.location?.column} ${e.code} ${e.message}${e.field ? ` (${e.field})` : ''}`,
    ),
    warnings: (loaded.warnings ?? []).map(
      (e) => `${e.location?.line}:${e.location?.column} ${e.code} ${e.message}`,
    ),
  };
  await expect(`${JSON.stringify(summary, null, 2)}\n`).toMatchFileSnapshot(
    '__fixtures__/mixed-stream.golden.json',
  );
});
