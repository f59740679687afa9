import { describe, expect, it } from 'vitest';
import { deployment, engineFor, FakeClock } from './__fixtures__/engine-harness.js';

const policy = `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: prod }
spec:
  namespaces: ["prod"]
  rules:
    - rule: require-digest
    - rule: mutable-tags-require-always
      mutate: true
  exemptions:
    - rules: [require-digest, mutable-tags-require-always]
      images: [ghcr.io/acme/legacy]
      expires: "2027-01-31"
      owner: team-legacy
      reason: vendor ships tags only
    - rules: [require-digest]
      workloads: ["Deployment/batch-*"]
      owner: team-batch
`;
const legacy = deployment('web', 'prod', [{ image: 'ghcr.io/acme/legacy:4.1' }]);

describe('exemptions', () => {
  it('keep an exempted finding in the report, marked active and non-blocking', async () => {
    const engine = engineFor(policy, { clock: new FakeClock(Date.parse('2026-11-01T00:00:00Z')) });
    const report = await engine.evaluateText(legacy);
    expect(report.findings.map((f) => [f.rule, f.exemption?.status])).toEqual([
      ['mutable-tags-require-always', 'active'],
      ['require-digest', 'active'],
    ]);
    expect(report.findings[0]?.exemption).toEqual(
      expect.objectContaining({
        owner: 'team-legacy',
        reason: 'vendor ships tags only',
        expires: '2027-01-31',
      }),
    );
    expect(report.verdict).toBe('pass');
    expect(report.summary.findings).toEqual({ deny: 0, warn: 0, audit: 0, exempted: 2, errors: 0 });
    expect(report.mutations).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('warn once per exemption in the 14 days before it expires', async () => {
    // 2027-01-31 is valid through the end of that day (UTC): 2027-02-01T00:00Z ends it.
    const clock = new FakeClock(Date.parse('2027-01-18T00:00:00Z'));
    const engine = engineFor(policy, { clock });
    const twoImages = deployment('web', 'prod', [
      { image: 'ghcr.io/acme/legacy:4.1' },
      { image: 'ghcr.io/acme/legacy:4.2' },
    ]);
    const report = await engine.evaluateText(twoImages);
    expect(report.findings.every((f) => f.exemption?.status === 'active')).toBe(true);
    expect(report.warnings).toEqual([
      expect.objectContaining({
        code: 'EXEMPTION_EXPIRING',
        severity: 'warning',
        message:
          'the exemption for require-digest, mutable-tags-require-always (owner: team-legacy) expires on 2027-01-31, in 14 days: the findings it covers will block after that',
      }),
    ]);
    // The compiler's view at load time is kept for engine.warnings(), not repeated in reports.
    expect(engine.warnings()).toEqual([expect.objectContaining({ code: 'EXEMPTION_EXPIRING' })]);
    clock.set('2027-01-17T23:59:59Z');
    expect((await engine.evaluateText(twoImages)).warnings).toEqual([]);
  });

  it('stop applying at the expiry instant, and the finding says it expired', async () => {
    const clock = new FakeClock(Date.parse('2027-01-31T23:59:59.999Z'));
    const engine = engineFor(policy, { clock });
    expect((await engine.evaluateText(legacy)).verdict).toBe('pass');
    clock.set('2027-02-01T00:00:00Z');
    const report = await engine.evaluateText(legacy);
    expect(report.verdict).toBe('fail');
    expect(report.findings[0]?.exemption?.status).toBe('expired');
    expect(report.findings[0]?.notes).toEqual([
      'an exemption (owner: team-legacy) covered this finding until it expired on 2027-01-31; it blocks again',
    ]);
    expect(report.mutations).toHaveLength(1);
  });

  it('apply per rule instance and selector', async () => {
    const engine = engineFor(policy, { clock: new FakeClock(0) });
    const batch = await engine.evaluateText(deployment('batch-nightly', 'prod', [{ image: 'nginx:1.25' }]));
    expect(batch.findings.map((f) => [f.rule, f.exemption?.status])).toEqual([
      ['mutable-tags-require-always', undefined],
      ['require-digest', 'active'],
    ]);
    const other = await engine.evaluateText(deployment('web', 'prod', [{ image: 'nginx:1.25' }]));
    expect(other.findings.every((f) => f.exemption === undefined)).toBe(true);
  });
});
