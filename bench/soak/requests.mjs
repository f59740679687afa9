/**
 * The soak's requests, each with what its answer must be. Good requests — validating and mutating
 * admission reviews of synthetic workloads in the example namespaces, and /v1/evaluate calls —
 * carry the answer the engine gives (the same policies and labels, in this process); malformed
 * ones — broken JSON, wrong schema or kind, wrong content type or charset, no body, too deep, too
 * large, random bytes, an object that cannot be read — carry the status they must get.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine, loadPolicies, parseNamespacesFile } from '@pullguard/engine';
import { repoRoot } from '../lib/paths.mjs';
import { podSpecOf } from '../lib/pod-spec.mjs';
import { createRandom } from '../lib/prng.mjs';
import { syntheticCorpus } from '../lib/synthetic.mjs';
import { admissionReview } from '../load/admission-review.mjs';

export const POLICY_DIR = join(repoRoot, 'examples', 'policies');
export const NAMESPACES_FILE = join(repoRoot, 'examples', 'manifests', 'namespaces.yaml');
const NAMESPACES = ['prod-a', 'team-payments', 'dev-x', 'default'];
const JSON_TYPE = 'application/json';

/**
 * `distinct` good requests (their expected answers computed once) and the malformed ones; `next(i)`
 * gives the i-th request of the run: one in `malformedEvery` is malformed, the rest cycle through
 * the good ones.
 */
export async function soakRequests({ distinct = 600, malformedEvery = 7, seed = 0x50a6 } = {}) {
  const policies = await loadPolicies([POLICY_DIR]);
  const { labels } = parseNamespacesFile(readFileSync(NAMESPACES_FILE, 'utf8'), NAMESPACES_FILE);
  const oracle = createEngine({ policies, namespaceLabels: labels });
  const random = createRandom(seed);
  const { objects } = syntheticCorpus({ count: distinct, namespaces: 1, seed });

  const good = [];
  for (const [i, synthetic] of objects.entries()) {
    const namespace = random.pick(NAMESPACES);
    const object = { ...synthetic, metadata: { ...synthetic.metadata, namespace } };
    // 70 % validating reviews, 10 % mutating, 20 % /v1/evaluate.
    const roll = random.int(10);
    if (roll < 8) {
      const report = await oracle.evaluateObject(object, { namespace, admitted: true });
      const webhook = roll < 7 ? 'validate' : 'mutate';
      good.push(review(webhook, object, i, webhook === 'mutate' || report.verdict === 'pass'));
    } else {
      const report = await oracle.evaluateObject(object, { namespace });
      good.push({
        kind: 'evaluate',
        path: '/v1/evaluate',
        contentType: JSON_TYPE,
        body: Buffer.from(JSON.stringify({ namespace, objects: [object] })),
        check: (status, body) =>
          status === 200 && body?.verdict === report.verdict
            ? undefined
            : `expected verdict ${report.verdict}`,
      });
    }
  }
  const malformed = malformedRequests(objects[0]);
  return {
    good: good.length,
    malformed: malformed.length,
    next(i) {
      if (i % malformedEvery === malformedEvery - 1)
        return malformed[Math.floor(i / malformedEvery) % malformed.length];
      return good[(i - Math.floor(i / malformedEvery)) % good.length];
    },
  };
}

function review(webhook, object, i, allowed) {
  const body = admissionReview(object, String(i));
  const uid = body.request.uid;
  return {
    kind: webhook,
    path: `/v1/admission/${webhook}`,
    contentType: JSON_TYPE,
    body: Buffer.from(JSON.stringify(body)),
    check: (status, answer) => {
      if (status !== 200) return `expected 200, got ${status}`;
      if (answer?.response?.uid !== uid) return 'the answer has another uid';
      return answer.response.allowed === allowed ? undefined : `expected allowed: ${allowed}`;
    },
  };
}

/** Each malformed request once, with the status (or the admission answer) it must get. */
function malformedRequests(sample) {
  const valid = admissionReview({ ...sample, metadata: { ...sample.metadata, namespace: 'prod-a' } }, '7');
  const withRequest = (change) => ({ ...valid, request: { ...valid.request, ...change } });
  const deep = { objects: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'deep' }, spec: nest(150) }] };
  const unreadable = structuredClone(valid);
  podSpecOf(unreadable.request.object).containers[0].image = 12;
  const status = (expected) => (got) => (got === expected ? undefined : `expected ${expected}, got ${got}`);
  const validate = '/v1/admission/validate';
  const list = [
    { name: 'truncated JSON', body: JSON.stringify(valid).slice(0, 200), check: status(400) },
    { name: 'no uid', body: withRequest({ uid: undefined }), check: status(400) },
    {
      name: 'v1beta1 review',
      body: { ...valid, apiVersion: 'admission.k8s.io/v1beta1' },
      check: status(400),
    },
    {
      name: 'object of another kind',
      body: withRequest({ kind: { group: '', version: 'v1', kind: 'ConfigMap' } }),
      check: status(400),
    },
    { name: 'utf-16 JSON', body: valid, contentType: 'application/json; charset=utf-16', check: status(415) },
    { name: 'text/plain', body: valid, contentType: 'text/plain', check: status(415) },
    { name: 'no body', body: '', check: status(400) },
    {
      name: 'random bytes',
      body: Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37) % 256)),
      check: status(400),
    },
    { name: 'nested 150 deep', path: '/v1/evaluate', body: deep, check: status(400) },
    {
      name: 'objects and manifests',
      path: '/v1/evaluate',
      body: { objects: [], manifests: '' },
      check: status(400),
    },
    {
      name: 'over the body limit',
      path: '/v1/evaluate',
      body: { manifests: 'x'.repeat(3.5 * 2 ** 20) },
      check: status(413),
    },
    {
      name: 'an image that is not a string',
      body: unreadable,
      check: (got, answer) =>
        got === 200 && answer?.response?.allowed === false && answer.response.status?.code === 400
          ? undefined
          : 'expected a denial with code 400',
    },
  ];
  return list.map(({ name, path = validate, body, contentType = JSON_TYPE, check }) => ({
    kind: 'malformed',
    name,
    path,
    contentType,
    body: Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    check,
  }));
}

function nest(depth) {
  let value = {};
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}
