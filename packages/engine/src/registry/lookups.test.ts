import { describe, expect, it } from 'vitest';
import type { RegistryReference, RegistryResolver, Resolution } from '../registry-contract.js';
import { createRegistryLookups } from './lookups.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const nginx: RegistryReference = { registry: 'docker.io', repository: 'library/nginx', tag: '1.25' };
const resolved = (digest: string): Resolution => ({
  ok: true,
  manifest: { digest, mediaType: 'm', index: false, stale: false, resolvedAt: 0 },
});

/** A resolver whose answer is decided by `answer`, counting its calls and the signals it got. */
function resolverOf(answer: (reference: RegistryReference) => unknown) {
  const calls: { reference: RegistryReference; signal: AbortSignal | undefined }[] = [];
  const resolver = {
    resolve(reference: RegistryReference, options?: { signal?: AbortSignal }) {
      calls.push({ reference, signal: options?.signal });
      return answer(reference);
    },
  } as RegistryResolver;
  return { resolver, calls };
}

describe('registry lookups', () => {
  it('ask each distinct reference once; concurrent askers share the answer', async () => {
    const { resolver, calls } = resolverOf(() => Promise.resolve(resolved(A)));
    const lookups = createRegistryLookups(resolver);
    const answers = await Promise.all([
      lookups.resolve(nginx),
      lookups.resolve({ ...nginx }),
      lookups.resolve({ ...nginx, tag: '1.26' }),
      lookups.resolve({ registry: 'docker.io', repository: 'library/nginx', digest: A }),
    ]);
    expect(answers.every((a) => a.ok)).toBe(true);
    expect(calls.map((c) => c.reference.tag ?? c.reference.digest)).toEqual(['1.25', '1.26', A]);
  });

  it('answer `timeout` when the resolver never settles, and abort the call', async () => {
    const { resolver, calls } = resolverOf(() => new Promise(() => {}));
    const answer = await createRegistryLookups(resolver, { timeoutMs: 20 }).resolve(nginx);
    expect(answer).toMatchObject({
      ok: false,
      failure: { kind: 'timeout', host: 'registry-1.docker.io', message: 'no answer within 20 ms' },
    });
    expect(calls[0]?.signal?.aborted).toBe(true);
  });

  it("answer `timeout` when the caller's signal aborts (the admission deadline)", async () => {
    const controller = new AbortController();
    const { resolver, calls } = resolverOf(() => new Promise(() => {}));
    const pending = createRegistryLookups(resolver, { signal: controller.signal }).resolve(nginx);
    controller.abort(new Error('admission deadline'));
    expect(await pending).toMatchObject({
      ok: false,
      failure: { kind: 'timeout', message: 'the lookup was cancelled: admission deadline' },
    });
    // The resolver got the caller's own signal (no signal of the lookup's own is made for it).
    expect(calls[0]?.signal).toBe(controller.signal);
    expect(calls[0]?.signal?.aborted).toBe(true);
    // Already aborted: the resolver is not even asked.
    expect(await createRegistryLookups(resolver, { signal: controller.signal }).resolve(nginx)).toMatchObject(
      {
        failure: { kind: 'timeout' },
      },
    );
    expect(calls).toHaveLength(1);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('boom');
      },
      'the registry resolver threw: boom',
    ],
    ['rejects', () => Promise.reject(new Error('nope')), 'the registry resolver rejected: nope'],
    ['answers nothing', () => Promise.resolve(undefined), 'the resolver gave no answer'],
    [
      'answers garbage',
      () => Promise.resolve({ ok: 'yes' }),
      'the resolver answered neither a manifest nor a failure',
    ],
    [
      'answers an invalid digest',
      () => Promise.resolve(resolved('sha256:abc')),
      /the registry answered an invalid digest/,
    ],
  ])('turn a resolver that %s into a protocol failure', async (_name, answer, message) => {
    const { resolver } = resolverOf(answer);
    expect(await createRegistryLookups(resolver).resolve(nginx)).toMatchObject({
      ok: false,
      failure: { kind: 'protocol', host: 'registry-1.docker.io', message },
    });
  });

  it('never believe an answer about another digest than the one asked', async () => {
    const { resolver } = resolverOf(() => Promise.resolve(resolved(B)));
    const answer = await createRegistryLookups(resolver).resolve({
      registry: 'ghcr.io',
      repository: 'a/b',
      digest: A,
    });
    expect(answer).toMatchObject({
      ok: false,
      failure: { kind: 'protocol', message: `asked for ${A}, the registry answered ${B}` },
    });
  });

  it('pass failures through as the resolver gave them', async () => {
    const failure = { kind: 'unauthorized', host: 'ghcr.io', message: 'denied', hint: 'log in', status: 401 };
    const { resolver } = resolverOf(() => Promise.resolve({ ok: false, failure }));
    expect(await createRegistryLookups(resolver).resolve(nginx)).toEqual({ ok: false, failure });
  });
});
