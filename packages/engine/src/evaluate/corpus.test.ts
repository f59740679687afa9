import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeWithCorpus, HAS_SHARED_CORPUS, SHARED_CORPUS_DIR } from '../../../../vitest.corpus.js';
import { loadManifests } from '../manifests/load-manifests.js';
import { loadPolicies } from '../policy/load-policies.js';
import { engineFor } from './__fixtures__/engine-harness.js';
import { createEngine } from './engine.js';

/** Real manifests from public repositories, read in place (never copied into the repository). */
const files = HAS_SHARED_CORPUS
  ? readdirSync(SHARED_CORPUS_DIR).filter((f) => /\.(ya?ml|json)$/.test(f))
  : [];
const read = (file: string) => readFileSync(join(SHARED_CORPUS_DIR, file), 'utf8');
const EXAMPLE_POLICIES = new URL('../../../../examples/policies/', import.meta.url);

/** Every built-in rule, in its strictest form, on every namespace. */
const everyRule = `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: everything }
spec:
  namespaces: ["*"]
  rules:
    - { rule: require-digest, with: { allowTag: false } }
    - { rule: require-explicit-pull-policy, mutate: true }
    - { rule: allowed-pull-policies, with: { policies: [Always] } }
    - { rule: disallow-latest, with: { allowDigestPinned: false } }
    - { rule: mutable-tags-require-always, mutate: true }
    - { rule: allowed-registries, with: { registries: [registry.k8s.io/, ghcr.io/, quay.io/] } }
    - { rule: denied-registries, with: { registries: [docker.io/] } }
    - { rule: allowed-tags, with: { pattern: "v?[0-9]+(\\\\.[0-9]+){1,2}(-[0-9A-Za-z.]+)?" } }
    - { rule: restrict-never, with: { images: [registry.k8s.io/pause] } }
    - { rule: private-images, with: { registries: [gcr.io/], sharedNodes: true } }
    - rule: expression
      id: init-from-hub
      when: { and: [{ "==": [{ var: container.type }, init] }, { "==": [{ var: image.domain }, docker.io] }] }
      message: "init container {{container.name}} pulls {{image.familiar}} from Docker Hub"
`;

describeWithCorpus('the real-world corpus', () => {
  it('has files to evaluate', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('evaluates every file against every rule without crashing, and the same again from the cache', async () => {
    const engine = engineFor(everyRule);
    let images = 0;
    let findings = 0;
    for (const file of files) {
      const loaded = loadManifests(read(file), { file });
      const cold = await engine.evaluateLoaded(loaded);
      const warm = await engine.evaluateLoaded(loaded);
      expect(warm.findings, file).toEqual(cold.findings);
      expect(
        cold.findings.every((f) => f.status === 'violation'),
        file,
      ).toBe(true);
      images += cold.summary.images;
      findings += cold.findings.length;
    }
    // STATS.md counts 290 containers; a few documents there are not loadable Kubernetes objects.
    expect(images).toBeGreaterThan(250);
    expect(findings).toBeGreaterThan(images);
    expect(engine.cacheStats().hits).toBeGreaterThanOrEqual(images);
  });

  it('evaluates every file under the example policies in every kind of namespace they govern', async () => {
    const engine = createEngine({
      policies: await loadPolicies([EXAMPLE_POLICIES.pathname]),
      namespaceLabels: { 'prod-payments': { team: 'payments' } },
    });
    const policies = new Set<string>();
    for (const namespace of ['prod-payments', 'prod-web', 'dev-web', 'default']) {
      for (const file of files) {
        const loaded = loadManifests(read(file), { file });
        const report = await engine.evaluateLoaded(loaded, { namespace });
        expect(
          report.findings.every((f) => f.status === 'violation'),
          file,
        ).toBe(true);
        for (const finding of report.findings) policies.add(finding.policy);
      }
    }
    // Every example policy found something to say about real manifests.
    expect([...policies].sort()).toEqual([
      'baseline',
      'development',
      'production',
      'pullguard-builtin',
      'tenant-payments',
    ]);
  });
});
