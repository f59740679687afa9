/**
 * Peer: the bench policy as a Kubernetes ValidatingAdmissionPolicy (peers/pull-policy.vap.yaml),
 * evaluated with @bufbuild/cel the way the API server evaluates a VAP: match the object's resource
 * against `matchConstraints`, compute `variables` in order, then every `validations[].expression`.
 * Every expression is parsed and planned once. `matches` gets a memoizing RE2 (the library's own
 * RE2JS engine, each pattern compiled once), as cel-go precompiles constant regexes in Kubernetes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import jsYaml from 'js-yaml';
import { benchDir } from '../lib/paths.mjs';

export const vapFile = join(benchDir, 'peers', 'pull-policy.vap.yaml');
/** The first-draft version with the usual string checks, kept to show what they get wrong. */
export const naiveVapFile = join(benchDir, 'peers', 'pull-policy.naive.vap.yaml');

// Kind → resource for the kinds a workload policy matches (the API server knows this from discovery).
// VAP's matchPolicy defaults to Equivalent: a request through an older group/version of the same
// resource (extensions/v1beta1 DaemonSet, batch/v1beta1 CronJob) is matched by the apps/v1 or batch/v1
// rule, so the match is by group-equivalent resource, whatever the object's apiVersion says.
const RESOURCES = {
  Pod: ['', 'pods'],
  ReplicationController: ['', 'replicationcontrollers'],
  Deployment: ['apps', 'deployments'],
  ReplicaSet: ['apps', 'replicasets'],
  StatefulSet: ['apps', 'statefulsets'],
  DaemonSet: ['apps', 'daemonsets'],
  Job: ['batch', 'jobs'],
  CronJob: ['batch', 'cronjobs'],
};
const GROUPS = {
  '': [''],
  apps: ['apps', 'extensions'],
  batch: ['batch'],
};

function memoizingRe2() {
  const require = createRequire(import.meta.resolve('@bufbuild/cel'));
  const { RE2JS } = require('@bufbuild/re2');
  const compiled = new Map();
  return {
    compile(pattern) {
      let matcher = compiled.get(pattern);
      if (!matcher) {
        const re = RE2JS.compile(pattern);
        matcher = { test: (text) => re.test(text) };
        compiled.set(pattern, matcher);
      }
      return matcher;
    },
  };
}

function matcherFor(rules) {
  const allowed = new Set();
  for (const rule of rules) {
    for (const group of rule.apiGroups) {
      for (const resource of rule.resources) allowed.add(`${group}/${resource}`);
    }
  }
  return (object) => {
    const resource = RESOURCES[object.kind];
    if (resource === undefined) return false;
    const group = object.apiVersion?.includes('/')
      ? object.apiVersion.slice(0, object.apiVersion.indexOf('/'))
      : '';
    return GROUPS[resource[0]].includes(group) && allowed.has(`${resource[0]}/${resource[1]}`);
  };
}

/** Compiles the VAP once; returns `evaluate(object) → { matched, verdicts: { [rule]: 'pass'|'fail'|'error' } }`. */
export function compileVap(file = vapFile) {
  const vap = jsYaml.load(readFileSync(file, 'utf8'));
  const env = celEnv({ funcs: strings, re2: memoizingRe2() });
  const variables = vap.spec.variables.map((v) => ({ name: v.name, run: plan(env, parse(v.expression)) }));
  const validations = vap.spec.validations.map((v) => ({
    rule: v.message.slice(0, v.message.indexOf(':')),
    run: plan(env, parse(v.expression)),
  }));
  const matches = matcherFor(vap.spec.matchConstraints.resourceRules);

  return function evaluate(object) {
    if (!matches(object)) return { matched: false, verdicts: {} };
    const bound = {};
    const bindings = { object, variables: bound };
    const verdicts = {};
    for (const variable of variables) {
      const value = variable.run(bindings);
      if (isCelError(value)) {
        // failurePolicy: Fail — an expression that errors rejects the request.
        for (const v of validations) verdicts[v.rule] = 'error';
        return { matched: true, verdicts, error: String(value.message ?? value) };
      }
      bound[variable.name] = value;
    }
    for (const v of validations) {
      const value = v.run(bindings);
      verdicts[v.rule] = isCelError(value) ? 'error' : value === true ? 'pass' : 'fail';
    }
    return { matched: true, verdicts };
  };
}
