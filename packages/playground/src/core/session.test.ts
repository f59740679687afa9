import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PlaygroundSession } from './session.js';

const example = (name: string) =>
  readFileSync(new URL(`../../examples/registry/${name}.yaml`, import.meta.url), 'utf8');
const REGISTRY = {
  policy: example('policy'),
  manifests: example('manifests'),
  namespaces: '',
  registry: example('registry'),
};

describe('a playground session', () => {
  it('judges the registry example from its fixtures: image-exists, and the pinning patch the webhook sends', async () => {
    const session = new PlaygroundSession();
    const result = await session.evaluate(REGISTRY);
    expect(result.problems).toEqual([]);
    expect(result.check).toMatchObject({ verdict: 'fail', exitCode: 1 });
    const exists = result.findings.filter((f) => f.rule === 'image-exists');
    expect(exists.map((f) => [f.image.raw, f.location?.line])).toEqual([
      ['registry.acme.io/shop/metrics:typo', 15],
    ]);
    const admission = await session.admission(result.workloads[0]!.objectIndex);
    expect(admission?.mutate.operations).toContainEqual({
      op: 'replace',
      path: '/spec/containers/0/image',
      value: expect.stringMatching(/^registry\.acme\.io\/shop\/web:1\.4@sha256:3c4e/),
    });
    // Patched, the validating webhook still denies: the tag that does not exist.
    expect(admission?.validate).toMatchObject({ allowed: false, status: { code: 403 } });
  });

  it('places a policy syntax error in the Policy editor at its line and column, and exits 2', async () => {
    const result = await new PlaygroundSession().evaluate({
      ...REGISTRY,
      policy: 'kind: PullPolicy\nmetadata: {name: a}}\n',
    });
    expect(result.problems[0]).toMatchObject({
      editor: 'policy',
      code: 'POLICY_SYNTAX',
      line: 2,
      column: 20,
    });
    expect(result.check.exitCode).toBe(2);
    // The manifests are still read: their workloads are listed.
    expect(result.workloads.map((w) => w.name)).toEqual(['web']);
  });

  it('exits 2 as check does when nothing runs pods, or no policy is given', async () => {
    const none = await new PlaygroundSession().evaluate({
      ...REGISTRY,
      manifests: 'kind: ConfigMap\napiVersion: v1\nmetadata: {name: a}\n',
    });
    expect(none.check).toMatchObject({ exitCode: 2, verdict: 'error' });
    const empty = await new PlaygroundSession().evaluate({ ...REGISTRY, policy: '' });
    expect(empty.problems.map((p) => p.code)).toEqual(['POLICY_NONE']);
  });

  it('explains an image as `pullguard explain image` does, and says why one does not parse', () => {
    const session = new PlaygroundSession();
    expect(session.explain('nginx')).toMatchObject({
      ok: true,
      explanation: { canonical: 'docker.io/library/nginx:latest' },
    });
    expect(session.explain('Nginx')).toMatchObject({ ok: false, code: 'INVALID_IMAGE_REFERENCE' });
  });
});
