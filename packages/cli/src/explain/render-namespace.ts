import type { NamespaceExplanation } from '@pullguard/engine';

/** `pullguard explain --namespace NS` as text: each policy, why it applies or not, its rules and exemptions. */
export function renderNamespaceExplanation(e: NamespaceExplanation): string {
  const labels =
    e.labels === null
      ? 'labels unknown (namespaceSelector does not match; give --labels or --namespaces-file)'
      : `labels ${
          Object.keys(e.labels).length === 0
            ? '{}'
            : Object.entries(e.labels)
                .map(([k, v]) => `${k}=${v}`)
                .join(',')
        }`;
  const applying = e.policies.filter((p) => p.applies);
  const lines = [
    `namespace ${e.namespace}: ${labels}`,
    `${applying.length} of ${e.policies.length} policies apply`,
    '',
  ];
  for (const p of e.policies) {
    lines.push(`${p.applies ? '✔ applies' : '✘ does not apply'}  ${p.name}${p.file ? `  (${p.file})` : ''}`);
    for (const reason of p.because) lines.push(`    because ${reason}`);
    if (!p.applies) continue;
    for (const r of p.rules) {
      const id = r.id === r.rule ? r.id : `${r.id} (${r.rule})`;
      const extra = [r.mutate ? 'mutate' : '', r.inheritedFrom ? `from ${r.inheritedFrom}` : ''].filter(
        Boolean,
      );
      lines.push(`    rule ${r.action.padEnd(5)} ${id}${extra.length ? `  [${extra.join(', ')}]` : ''}`);
    }
    // What a registry outage means for its registry rules (image-exists, pinning, plugins reading it).
    lines.push(`    onRegistryError ${p.onRegistryError}`);
    for (const x of p.exemptions) {
      // Every condition the exemption has: it applies only where all of them hold.
      const conditions = (['images', 'namespaces', 'workloads'] as const).flatMap((key) =>
        x[key]?.length ? [`${key} ${x[key].join(', ')}`] : [],
      );
      const scope = conditions.length > 0 ? ` for ${conditions.join(' and ')}` : '';
      const who = [x.owner && `owner ${x.owner}`, x.reason && `reason: ${x.reason}`]
        .filter(Boolean)
        .join('; ');
      lines.push(
        `    exemption ${x.status}: ${x.rules.join(', ')}${scope}${x.expires ? `, expires ${x.expires}` : ', never expires'}${who ? ` (${who})` : ''}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
