import { describe, expect, it } from 'vitest';
import { factsFor, messages, prepareRule } from './__fixtures__/rule-harness.js';
import { expression } from './expression.js';
import { INSTANCE_READS } from './instance-reads.js';

const entry = (when: unknown, message?: string) => ({
  id: 'no-busybox',
  when,
  ...(message ? { message } : {}),
});

describe('expression', () => {
  const noBusybox = entry(
    { '==': [{ var: 'image.name' }, 'docker.io/library/busybox'] },
    '{{image.familiar}} is a debugging image; do not run it in {{namespace.name}}',
  );

  it('is violated when `when` is truthy, with the interpolated message', () => {
    expect(messages(expression, factsFor('busybox:1.36'), undefined, noBusybox)).toEqual([
      'busybox:1.36 is a debugging image; do not run it in prod',
    ]);
    expect(messages(expression, factsFor('nginx:1.25'), undefined, noBusybox)).toEqual([]);
  });

  it('uses truthiness as JSON Logic defines it (an empty list is false)', () => {
    expect(
      messages(expression, factsFor('nginx'), undefined, entry({ missing: ['image.tag'] })),
    ).toHaveLength(1);
    expect(messages(expression, factsFor('nginx:1'), undefined, entry({ missing: ['image.tag'] }))).toEqual(
      [],
    );
  });

  it('has a default message naming the image and the entry', () => {
    expect(messages(expression, factsFor('nginx'), undefined, { id: 'x', when: true })).toEqual([
      'nginx matches the condition of x',
    ]);
  });

  it('reports bad expressions at load with the entry field and code', () => {
    expect(prepareRule(expression, undefined, entry({ and: [true, { log: 1 }] })).problems).toEqual([
      expect.objectContaining({ field: 'when.and[1].log', scope: 'entry', code: 'POLICY_BAD_EXPRESSION' }),
    ]);
    expect(prepareRule(expression, undefined, entry(true, 'bad {{image.nope}}')).problems).toEqual([
      expect.objectContaining({ field: 'message["{{image.nope}}"]', code: 'POLICY_BAD_EXPRESSION' }),
    ]);
    expect(prepareRule(expression, undefined, { id: 'x' }).problems).toEqual([
      expect.objectContaining({ field: 'when', message: 'an expression rule needs `when`' }),
    ]);
  });

  it('tells the cache which facts the instance reads (the condition and the message)', () => {
    const { prepared } = prepareRule(expression, undefined, noBusybox);
    expect((prepared as Record<symbol, unknown>)[INSTANCE_READS]).toEqual(['image', 'namespace']);
  });
});
