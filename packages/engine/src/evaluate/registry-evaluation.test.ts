import { describe, expect, it } from 'vitest';
import { createFixtureResolver, type RegistryFixtures } from '../registry/fixture-resolver.js';
import type { RegistryReference, RegistryResolver } from '../registry-contract.js';
import type { PluginDefinition } from '../rule-contract.js';
import { deployment, engineFor } from './__fixtures__/engine-harness.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

/** A policy for every namespace with `rules` (YAML list items) and `spec` lines. */
const policy = (rules: string, spec = '') => `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: registry }
spec:
  namespaces: ["*"]
${spec}  rules:
${rules}`;

const EXISTS = policy('    - rule: image-exists\n');

/** A resolver over fixtures that can be replaced between evaluations, counting lookups. */
function switchable(fixtures: RegistryFixtures) {
  let current = createFixtureResolver(fixtures);
  const asked: string[] = [];
  const resolver: RegistryResolver = {
    resolve(reference: RegistryReference, options) {
      asked.push(`${reference.repository}:${reference.tag ?? ''}@${reference.digest ?? ''}`);
      return current.resolve(reference, options);
    },
  };
  return {
    resolver,
    asked,
    move(next: RegistryFixtures) {
      current = createFixtureResolver(next);
    },
  };
}

const pod = (containers: { name: string; image: string }[], namespace = 'prod') =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace },
    spec: { containers },
  });

describe('evaluation with a registry resolver', () => {
  it('resolves each distinct reference once per evaluation, however many images name it', async () => {
    const registry = switchable({ 'nginx:1.25': A, 'nginx:1.26': B });
    const engine = engineFor(EXISTS, { resolver: registry.resolver, cache: false });
    const report = await engine.evaluateText(
      deployment('web', 'prod', [
        { image: 'nginx:1.25' },
        { image: 'docker.io/library/nginx:1.25' },
        { image: 'nginx:1.26' },
      ]) +
        '---\n' +
        deployment('api', 'other', [{ image: 'nginx:1.25' }]),
    );
    expect(report.findings).toEqual([]);
    expect(registry.asked).toEqual(['library/nginx:1.25@', 'library/nginx:1.26@']);
  });

  it('reports a typo’d tag, in input order whatever the registry answers first', async () => {
    const engine = engineFor(EXISTS, { resolver: createFixtureResolver({ 'nginx:1.25': A, 'redis:7': B }) });
    const report = await engine.evaluateText(
      deployment('web', 'prod', [{ image: 'nginx:1.255' }, { image: 'redis:7' }, { image: 'redis:77' }]),
      { file: 'web.yaml' },
    );
    expect(report.findings.map((f) => [f.image.raw, f.rule, f.action, f.status, f.location?.line])).toEqual([
      ['nginx:1.255', 'image-exists', 'deny', 'violation', 11],
      ['redis:77', 'image-exists', 'deny', 'violation', 15],
    ]);
    expect(report.verdict).toBe('fail');
  });

  describe('a registry that cannot be asked', () => {
    const down = createFixtureResolver({ 'ghcr.io/*': { error: 401, message: 'ghcr.io refused the token' } });
    const image = deployment('web', 'prod', [{ image: 'ghcr.io/acme/api:2' }]);

    it.each([
      ['', 'deny', 'fail'],
      ['  onRegistryError: deny\n', 'deny', 'fail'],
      ['  onRegistryError: warn\n', 'warn', 'pass'],
      ['  onRegistryError: allow\n', 'audit', 'pass'],
    ])(
      '%s→ an error finding with action %s (verdict %s), naming the host with its hint',
      async (spec, action, verdict) => {
        const report = await engineFor(policy('    - rule: image-exists\n', spec), {
          resolver: down,
        }).evaluateText(image);
        expect(report.findings).toEqual([
          expect.objectContaining({
            rule: 'image-exists',
            status: 'error',
            action,
            message:
              'REGISTRY_ERROR: could not check whether ghcr.io/acme/api:2 exists: ghcr.io: unauthorized: ghcr.io refused the token',
            hint: 'run docker login ghcr.io, or pass --registry-auth FILE',
            notes: [
              `a registry error, judged by onRegistryError: ${spec.match(/deny|warn|allow/)?.[0] ?? 'deny'} (policy registry)`,
            ],
          }),
        ]);
        expect(report.verdict).toBe(verdict);
        expect(report.summary.findings.errors).toBe(1);
      },
    );

    it('never raises an entry above its own action', async () => {
      const report = await engineFor(
        policy('    - rule: image-exists\n      action: audit\n', '  onRegistryError: warn\n'),
        {
          resolver: down,
        },
      ).evaluateText(image);
      expect(report.findings.map((f) => f.action)).toEqual(['audit']);
    });

    it('inherits onRegistryError through extends; the extending policy may override it', async () => {
      const base = `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: base }
spec:
  namespaces: []
  onRegistryError: warn
  rules:
    - rule: image-exists
---
apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: team }
spec:
  namespaces: [team]
  extends: [base]
---
apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: prod }
spec:
  namespaces: [prod]
  extends: [base]
  onRegistryError: deny
`;
      const engine = engineFor(base, { resolver: down });
      const actions = async (namespace: string) =>
        (
          await engine.evaluateText(deployment('web', namespace, [{ image: 'ghcr.io/acme/api:2' }]))
        ).findings.map((f) => f.action);
      expect(await actions('team')).toEqual(['warn']);
      expect(await actions('prod')).toEqual(['deny']);
    });

    it('answers `timeout` at the caller’s deadline, even from a resolver that never answers', async () => {
      const hanging: RegistryResolver = { resolve: () => new Promise(() => {}) };
      const controller = new AbortController();
      const pending = engineFor(EXISTS, { resolver: hanging }).evaluateText(image, {
        signal: controller.signal,
      });
      controller.abort(new Error('the admission deadline passed'));
      const report = await pending;
      expect(report.findings[0]).toMatchObject({
        status: 'error',
        action: 'deny',
        message: expect.stringContaining(
          'ghcr.io: timeout: the lookup was cancelled: the admission deadline passed',
        ),
      });
      const bounded = await engineFor(EXISTS, { resolver: hanging, registryTimeoutMs: 10 }).evaluateText(
        image,
      );
      expect(bounded.findings[0]?.message).toContain('no answer within 10 ms');
    });
  });

  it('without registry access, registry rules say "not checked" once per rule and image, as warnings', async () => {
    const engine = engineFor(policy('    - rule: image-exists\n    - rule: digest-matches-tag\n'));
    const report = await engine.evaluateText(
      deployment('web', 'prod', [{ image: 'nginx:1.25' }, { image: `nginx:1.25@${A}` }]),
      { file: 'web.yaml' },
    );
    expect(report.findings).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(report.warnings.map((w) => `${w.location?.line} ${w.code} ${w.message}`)).toEqual([
      '11 REGISTRY_NOT_CHECKED image-exists (policy registry): not checked: whether nginx:1.25 exists (no registry access is configured (offline, or no registry resolver was given))',
      `13 REGISTRY_NOT_CHECKED digest-matches-tag (policy registry): not checked: whether the tag of nginx:1.25@${A} still names its digest (no registry access is configured (offline, or no registry resolver was given))`,
      `13 REGISTRY_NOT_CHECKED image-exists (policy registry): not checked: whether nginx:1.25@${A} exists (no registry access is configured (offline, or no registry resolver was given))`,
    ]);
  });

  it('caches an outcome only with the digests it vouches for: a moved tag is judged again (GHSA-2r43-6962-xcw5)', async () => {
    const registry = switchable({ 'nginx:1.25': A });
    const engine = engineFor(policy('    - rule: digest-matches-tag\n    - rule: image-exists\n'), {
      resolver: registry.resolver,
    });
    const pinned = deployment('web', 'prod', [{ image: `nginx:1.25@${A}` }]);
    expect((await engine.evaluateText(pinned)).findings).toEqual([]);
    const again = await engine.evaluateText(pinned);
    expect(again.summary.cache).toEqual({ hits: 1, misses: 0 });

    registry.move({ 'nginx:1.25': B, [`nginx@${A}`]: 'exists' });
    const moved = await engine.evaluateText(pinned);
    expect(moved.summary.cache).toEqual({ hits: 0, misses: 1 });
    expect(moved.findings.map((f) => f.message)).toEqual([
      `nginx:1.25@${A}: the tag moved; the pinned digest still runs. The tag 1.25 now names ${B}; the manifest pins ${A}.`,
    ]);

    registry.move({ 'nginx:1.25': B });
    const deleted = await engine.evaluateText(pinned);
    expect(deleted.findings.map((f) => f.rule)).toEqual(['digest-matches-tag', 'image-exists']);
  });

  it('never caches an outcome judged on a registry error: the next evaluation asks again', async () => {
    const registry = switchable({ 'docker.io/*': 'unreachable' });
    const engine = engineFor(EXISTS, { resolver: registry.resolver });
    const web = deployment('web', 'prod', [{ image: 'nginx:1.25' }]);
    expect((await engine.evaluateText(web)).findings.map((f) => f.status)).toEqual(['error']);
    registry.move({ 'nginx:1.25': A });
    expect((await engine.evaluateText(web)).findings).toEqual([]);
    expect(engine.cacheStats().size).toBe(1);
  });

  describe('require-digest with mutate: true', () => {
    const PIN = policy('    - rule: require-digest\n      mutate: true\n');
    const resolver = createFixtureResolver({ 'nginx:1.25': { digest: A, index: true }, 'busybox:1': B });

    it("pins a Pod's images in the report's mutations, tag kept", async () => {
      const report = await engineFor(PIN, { resolver }).evaluateText(
        pod([
          { name: 'web', image: 'nginx:1.25' },
          { name: 'tools', image: 'busybox:1' },
          { name: 'pinned', image: `nginx:1.25@${A}` },
        ]),
        { admitted: true },
      );
      expect(report.mutations).toEqual([
        expect.objectContaining({
          pointer: '/spec/containers/0/image',
          field: 'image',
          value: `nginx:1.25@${A}`,
        }),
        expect.objectContaining({
          pointer: '/spec/containers/1/image',
          field: 'image',
          value: `busybox:1@${B}`,
        }),
      ]);
    });

    it('pins the reference of an image volume', async () => {
      const report = await engineFor(PIN, { resolver }).evaluateObject({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web', namespace: 'prod' },
        spec: {
          containers: [{ name: 'web', image: `nginx:1.25@${A}` }],
          volumes: [{ name: 'data', image: { reference: 'busybox:1' } }],
        },
      });
      expect(report.mutations).toEqual([
        expect.objectContaining({
          pointer: '/spec/volumes/0/image/reference',
          field: 'reference',
          value: `busybox:1@${B}`,
        }),
      ]);
    });

    it('never patches a controller: it gets a warning, no fix, no mutation', async () => {
      const report = await engineFor(PIN, { resolver }).evaluateText(
        deployment('web', 'prod', [{ image: 'nginx:1.25' }]),
      );
      expect(report.findings).toEqual([
        expect.objectContaining({ rule: 'require-digest', action: 'warn', fix: undefined }),
      ]);
      expect(report.findings[0]?.message).toMatch(/Deployment\/web is never patched: its Pods are pinned/);
      expect(report.mutations).toEqual([]);
      expect(report.verdict).toBe('pass');
    });

    it('does not pin under an active exemption', async () => {
      const exempt = `${PIN}  exemptions:\n    - rules: [require-digest]\n      images: [docker.io/library/nginx]\n`;
      const report = await engineFor(exempt, { resolver }).evaluateText(
        pod([{ name: 'web', image: 'nginx:1.25' }]),
      );
      expect(report.mutations).toEqual([]);
    });
  });

  it('gives registry facts to plugin rules that declare them, and never lets a plugin pin an image', async () => {
    const seen: unknown[] = [];
    const plugin: PluginDefinition = {
      name: 'acme',
      rules: [
        {
          id: 'acme/watch',
          description: 'records the registry facts',
          reads: ['image', 'registry'],
          check(facts) {
            seen.push(facts.registry);
            return { message: 'pin it', fix: { image: 'evil.example/x:1' } } as never;
          },
        },
      ],
    };
    const engine = engineFor(policy('    - rule: acme/watch\n      mutate: true\n'), {
      plugins: [plugin],
      resolver: createFixtureResolver({ 'nginx:1.25': A }),
    });
    const report = await engine.evaluateText(pod([{ name: 'web', image: 'nginx:1.25' }]));
    expect(seen).toEqual([expect.objectContaining({ status: 'resolved', digest: A })]);
    expect(Object.isFrozen(seen[0])).toBe(true);
    expect(report.findings.map((f) => [f.status, f.message.split(':')[0]])).toEqual([
      ['error', 'RULE_ERROR'],
    ]);
    expect(report.mutations).toEqual([]);
  });

  it('looks images up for an expression that names registry facts, and for no other plan', async () => {
    const registry = switchable({ 'nginx:1.25': { digest: A, index: false } });
    const expression = policy(
      '    - rule: expression\n      id: multi-arch\n      when: { "!": { var: registry.index } }\n      message: "{{image.familiar}} is not multi-platform ({{registry.digest}})"\n',
    );
    const report = await engineFor(expression, { resolver: registry.resolver }).evaluateText(
      deployment('web', 'prod', [{ image: 'nginx:1.25' }]),
    );
    expect(report.findings.map((f) => f.message)).toEqual([`nginx:1.25 is not multi-platform (${A})`]);
    const plain = switchable({});
    await engineFor(policy('    - rule: disallow-latest\n'), { resolver: plain.resolver }).evaluateText(
      deployment('web', 'prod', [{ image: 'nginx:1.25' }]),
    );
    expect(plain.asked).toEqual([]);
  });
});
