/**
 * Every figure the harness reports, what it measures and its target (from the benchmarks issue).
 * A missed target is reported (and profiled), never loosened here.
 */
export const TARGETS = {
  evalVsJsonParse: {
    measures:
      'engine evaluation, cold result cache (hot code), of the real corpus objects / `JSON.parse` of the same objects as JSON text',
    op: '<=',
    value: 0.25,
    stretch: 0.1,
  },
  warmVsCold: { measures: 'the same evaluation with a warm result cache / cold', op: '<=', value: 0.3 },
  celVsPullguard: {
    measures:
      'the bench policy as a ValidatingAdmissionPolicy, CEL planned once with @bufbuild/cel / pullguard (cold cache), same objects',
    op: '>=',
    value: 5,
  },
  celDisagreements: {
    measures: 'objects where a CEL validation verdict and pullguard’s verdict for the same rule differ',
    op: '==',
    value: 0,
    unit: 'objects',
  },
  jsonLogicNaiveVsPullguard: {
    measures:
      'the same rules as plain json-logic-js rules per container, naive extraction, no cache / pullguard',
    op: 'report',
  },
  admissionVsBareExpress: {
    measures:
      '`POST /v1/admission/validate` req/s / a bare Express route that parses the same body and answers a same-size JSON body (autocannon in a second process, c=10, loopback)',
    op: '>=',
    value: 0.9,
  },
  admissionP99Ms: {
    measures: 'p99 latency of the admission endpoint at c=10 (µs-resolution histogram)',
    op: '<',
    value: 5,
    unit: 'ms',
  },
  cliVsParseOnly: {
    measures:
      '`pullguard check` over the real corpus / reading + parsing the same files with the fastest YAML parser',
    op: '<=',
    value: 1.3,
  },
  namespaceScaling: {
    measures: 'evaluation cost with 10,000 namespace policies loaded / with 1',
    op: '<=',
    value: 1.2,
  },
  allowlistScaling: {
    measures: 'evaluation cost with 1,000 registry patterns / with 10',
    op: '<=',
    value: 2,
  },
  pluginWorkerVsInProcess: {
    measures:
      'evaluation with a trivial plugin rule run in a plugin worker (loadPlugins) / the same rule in-process, result cache off',
    op: 'report',
  },
  pluginWorkerVsInProcessWarm: {
    measures:
      'the same, result cache warm: cache hits are served on the main thread and never touch a worker',
    op: 'report',
  },
  cacheHitVsMapGet: { measures: 'a result-cache hit / `Map.get` with the same keys', op: '<=', value: 2 },
  cliStartupOverheadMs: {
    measures: "`pullguard check` on one small file minus `node -e ''` (wall time)",
    op: '<=',
    value: 100,
    unit: 'ms',
  },
  serverRssMb: {
    measures: 'server RSS, peak over 60 s (quick: 10 s) of admission load with the result cache full',
    op: '<',
    value: 150,
    unit: 'MB',
  },
  admissionPinWarmP99Ms: {
    measures:
      'p99 latency of `/v1/admission/mutate` pinning a Pod’s 3 images to digests (require-digest mutate: true, a real registry), digest cache warm, c=10',
    op: '<',
    value: 5,
    unit: 'ms',
  },
  registryRequestsPerTag: {
    measures:
      '200 concurrent mutating admissions over 20 distinct tags, digest cache cold: manifest requests the registry served / 20',
    op: '<=',
    value: 1,
  },
};

export const KEYS = Object.keys(TARGETS);

/** true/false against the target; undefined for report-only figures and missing values. */
export function meets(key, value) {
  const target = TARGETS[key];
  if (value === null || value === undefined || target.op === 'report') return undefined;
  switch (target.op) {
    case '<=':
      return value <= target.value;
    case '<':
      return value < target.value;
    case '>=':
      return value >= target.value;
    case '==':
      return value === target.value;
    default:
      throw new Error(`unknown target operator ${target.op}`);
  }
}

export function targetText(key) {
  const t = TARGETS[key];
  if (t.op === 'report') return 'report';
  const stretch = t.stretch === undefined ? '' : ` (stretch ${t.stretch})`;
  return `${t.op === '==' ? '=' : t.op === '<=' ? '≤' : t.op === '>=' ? '≥' : t.op} ${t.value}${t.unit ? ` ${t.unit}` : ''}${stretch}`;
}
