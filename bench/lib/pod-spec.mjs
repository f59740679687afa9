/** Where a core workload kind keeps its pod spec, by kind alone (what the peers and reports need). */
export function podSpecOf(object) {
  const spec = object.spec;
  if (!spec) return undefined;
  if (object.kind === 'Pod') return spec;
  if (object.kind === 'CronJob') return spec.jobTemplate?.spec?.template?.spec;
  return spec.template?.spec;
}
