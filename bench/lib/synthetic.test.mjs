import { describe, expect, it } from 'vitest';
import { podSpecOf } from './pod-spec.mjs';
import { syntheticCorpus } from './synthetic.mjs';

const images = (objects) =>
  objects.flatMap((o) => {
    const spec = podSpecOf(o);
    return [...spec.containers, ...(spec.initContainers ?? [])].map((c) => c.image);
  });

describe('the synthetic corpus', () => {
  it('is the same on every run (seeded)', () => {
    expect(syntheticCorpus({ count: 50 })).toEqual(syntheticCorpus({ count: 50 }));
    expect(syntheticCorpus({ count: 50, seed: 1 })).not.toEqual(syntheticCorpus({ count: 50 }));
  });

  it('holds the image forms that trip naive checks', () => {
    const all = images(syntheticCorpus({ count: 2_000 }).objects);
    expect(all.some((i) => /^[^/]+:\d+\/[^:@]+$/.test(i))).toBe(true); // registry port, untagged
    expect(all.some((i) => /:[^/@]+@sha256:/.test(i))).toBe(true); // tag + digest
    expect(all.some((i) => /^[^:@]+@sha256:/.test(i))).toBe(true); // digest only
    expect(all.some((i) => i.endsWith(':latest'))).toBe(true);
    expect(all.some((i) => !i.includes(':') && !i.includes('@'))).toBe(true); // untagged
    expect(all.some((i) => i.startsWith('index.docker.io/'))).toBe(true);
  });

  it('has every workload kind, CronJob nesting and a List of 100', () => {
    const { objects, list } = syntheticCorpus({ count: 2_000 });
    expect(new Set(objects.map((o) => o.kind))).toEqual(
      new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod']),
    );
    expect(list.kind).toBe('List');
    expect(list.items).toHaveLength(100);
  });
});
