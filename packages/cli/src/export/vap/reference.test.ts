import { effectivePullPolicy, tryParseImageReference } from '@pullguard/engine';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newContext, toJs } from './__fixtures__/api-server.js';
import { imageString } from './__fixtures__/image-arbitrary.js';
import { familiarName, referenceVariables } from './reference.js';
import { workloadKinds } from './workloads.js';

const variables = referenceVariables({
  kinds: workloadKinds(undefined).kinds,
  matchNames: true,
  hostParts: true,
  spellings: true,
});

type Ref = Record<string, unknown>;

function celRefs(images: readonly { image: string; policy?: string }[]): Ref[] {
  const object = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns' },
    spec: {
      containers: images.map(({ image, policy }, i) => ({
        name: `c${i}`,
        image,
        ...(policy === undefined ? {} : { imagePullPolicy: policy }),
      })),
    },
  };
  const context = newContext(
    { variables },
    {
      object,
      namespace: { name: 'ns', labels: { 'kubernetes.io/metadata.name': 'ns' } },
      resource: { group: '', resource: 'pods' },
      operation: 'CREATE',
    },
  );
  // Each ref, with its familiar name (expression rules' `image.familiar`) computed as the export does.
  const refs = toJs(context.evaluate('variables.refs'));
  const familiar = toJs(context.evaluate(`variables.refs.map(r, r.valid ? ${familiarName('r')} : '')`));
  if (!Array.isArray(refs) || !Array.isArray(familiar)) throw new Error(`variables.refs: ${String(refs)}`);
  return refs.map((ref, i) => ({ ...(ref as Ref), familiar: familiar[i] }));
}

/** What the engine says about `raw`, in the fields of `variables.refs`. */
function engineRef(raw: string) {
  const parsed = tryParseImageReference(raw);
  const effective = effectivePullPolicy({ image: raw }).policy;
  if (!parsed.ok) return { valid: false, effective };
  const { domain, path, tag, digest, name, familiar } = parsed.reference;
  return { valid: true, domain, path, tag: tag ?? '', digest: digest ?? '', name, familiar, effective };
}

function celView(ref: Ref) {
  if (ref['valid'] !== true) return { valid: false, effective: ref['effective'] };
  return {
    valid: true,
    domain: ref['domain'],
    path: ref['path'],
    tag: ref['tag'],
    digest: ref['digest'],
    name: ref['name'],
    familiar: ref['familiar'],
    effective: ref['effective'],
  };
}

describe('references parsed in CEL (variables.refs)', () => {
  it.each([
    ['nginx', { valid: true, name: 'docker.io/library/nginx', tag: '', effective: 'Always' }],
    ['nginx:1.25', { valid: true, name: 'docker.io/library/nginx', tag: '1.25', effective: 'IfNotPresent' }],
    ['index.docker.io/nginx:latest', { valid: true, name: 'docker.io/library/nginx', effective: 'Always' }],
    ['localhost:5000/app@sha256:' + 'a'.repeat(64), { valid: true, domain: 'localhost:5000', tag: '' }],
    ['[::1]:5000/app:1', { valid: true, domain: '[::1]:5000', path: 'app', tag: '1' }],
    ['Foo/bar', { valid: true, domain: 'Foo', name: 'Foo/bar' }],
    ['foo_bar.com/x', { valid: true, domain: '', name: 'foo_bar.com/x' }],
    ['NGINX', { valid: false, effective: 'IfNotPresent' }],
    ['a'.repeat(64), { valid: false }],
    ['ko://github.com/acme/app', { valid: false }],
    ['nginx@sha256:' + 'A'.repeat(64), { valid: false }],
  ])('%s', (raw, expected) => {
    expect(celView(celRefs([{ image: raw }])[0] as Ref)).toMatchObject(expected);
  });

  it('agree with the engine on every generated reference: validity, normalization, familiar name, tag, digest, default pull policy', () => {
    fc.assert(
      fc.property(fc.array(imageString, { minLength: 1, maxLength: 6 }), (raws) => {
        const refs = celRefs(raws.map((image) => ({ image })));
        raws.forEach((raw, i) => {
          const cel = celView(refs[i] as Ref);
          expect(cel, raw).toEqual(engineRef(raw));
        });
      }),
      { numRuns: 600 },
    );
  });

  it('the declared pull policy wins when it is one of the three, else the default applies', () => {
    const refs = celRefs([
      { image: 'nginx', policy: 'IfNotPresent' },
      { image: 'nginx:1', policy: 'Always' },
      { image: 'nginx@sha256:' + 'a'.repeat(64), policy: 'always' },
      { image: 'NGINX', policy: 'Never' },
    ]);
    expect(refs.map((r) => r['effective'])).toEqual(['IfNotPresent', 'Always', 'IfNotPresent', 'Never']);
  });
});
