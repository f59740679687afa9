/**
 * Peer: the bench policy as plain json-logic-js rules applied per container — what a team builds
 * with a generic rules library: pull `containers`/`initContainers` out of each object by kind (no
 * image parsing, no caching) and run every rule on `{ image, imagePullPolicy }`. JSON Logic has no
 * regex and no split, so the checks are substring tests; this peer is measured for speed only (its
 * verdicts are counted, not required to agree).
 */
import jsonLogic from 'json-logic-js';
import { podSpecOf } from '../lib/pod-spec.mjs';

const image = { var: 'image' };
const policy = { var: 'imagePullPolicy' };
const hasDigest = { in: ['@sha256:', image] };
const isLatest = { '==': [{ substr: [image, -7] }, ':latest'] };
// "has a tag": some ':' after the last '/'; JSON Logic cannot find the last '/', so teams approximate.
const untagged = { '!': { in: [':', image] } };

export const RULES = {
  'require-digest': hasDigest,
  'disallow-latest': { '!': { or: [isLatest, { and: [untagged, { '!': hasDigest }] }] } },
  'allowed-registries': {
    or: [
      { in: ['registry.acme.io/', image] },
      { in: ['registry.acme.io:5000/', image] },
      { in: ['ghcr.io/acme/', image] },
      { in: ['registry.k8s.io/', image] },
      { in: ['docker.io/library/', image] },
      { '!': { in: ['/', image] } },
    ],
  },
  'require-explicit-pull-policy': { in: [policy, ['Always', 'IfNotPresent', 'Never']] },
  'mutable-tags-require-always': {
    or: [hasDigest, { '==': [policy, 'Always'] }, { and: [{ '!': policy }, { or: [isLatest, untagged] }] }],
  },
};

const WORKLOAD_KINDS = new Set([
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
]);

const ruleEntries = Object.entries(RULES);

/** `{ matched, verdicts: { [rule]: 'pass'|'fail' } }` for one object. */
export function evaluateNaive(object) {
  if (!WORKLOAD_KINDS.has(object.kind)) return { matched: false, verdicts: {} };
  const spec = podSpecOf(object);
  const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  const verdicts = {};
  for (const [rule] of ruleEntries) verdicts[rule] = 'pass';
  for (const container of containers) {
    const data = { image: container.image ?? '', imagePullPolicy: container.imagePullPolicy ?? null };
    for (const [rule, logic] of ruleEntries) {
      if (!jsonLogic.apply(logic, data)) verdicts[rule] = 'fail';
    }
  }
  return { matched: true, verdicts };
}
