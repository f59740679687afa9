/** Test support: engines built from policy YAML, and a fake clock. */
import { parsePolicies } from '../../policy/parse-policies.js';
import type { EngineOptions, PolicyDocument } from '../../engine-api.js';
import type { PluginDefinition, RuleDefinition } from '../../rule-contract.js';
import type { Clock } from '../../types.js';
import { createEngine } from '../engine.js';

export function policies(text: string, file = 'policies.yaml'): PolicyDocument[] {
  const parsed = parsePolicies([{ text, file }]);
  if (parsed.errors.length > 0) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
  return [...parsed.documents];
}

export function engineFor(policyText: string, options: Partial<EngineOptions> = {}) {
  return createEngine({ policies: policies(policyText), ...options });
}

/** A policy named `digests` that requires digests in `namespaces`; `extra` is appended to its rules. */
export const digestPolicy = (namespaces = '["*"]', extra = '') => `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: digests }
spec:
  namespaces: ${namespaces}
  rules:
    - rule: require-digest
${extra}`;

/** A clock tests move by hand. */
export class FakeClock implements Clock {
  constructor(public time: number) {}
  now(): number {
    return this.time;
  }
  set(iso: string): void {
    this.time = Date.parse(iso);
  }
}

/** A Deployment with the given containers, as YAML. */
export function deployment(
  name: string,
  namespace: string,
  containers: { name?: string; image: string; imagePullPolicy?: string }[],
  extra: { imagePullSecrets?: string[] } = {},
): string {
  const lines = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    'spec:',
    '  template:',
    '    spec:',
  ];
  if (extra.imagePullSecrets) {
    lines.push('      imagePullSecrets:');
    for (const secret of extra.imagePullSecrets) lines.push(`        - name: ${secret}`);
  }
  lines.push('      containers:');
  containers.forEach((c, i) => {
    lines.push(`        - name: ${c.name ?? `c${i}`}`, `          image: ${JSON.stringify(c.image)}`);
    if (c.imagePullPolicy) lines.push(`          imagePullPolicy: ${c.imagePullPolicy}`);
  });
  return `${lines.join('\n')}\n`;
}

/** One Deployment running `nginx:1.27` in `prod`: the subject of the rule-isolation specs. */
export const webDeployment = deployment('web', 'prod', [{ image: 'nginx:1.27' }]);

/** A policy for every namespace that names `rules` in order (a rule id, or a whole entry as `{ rule: …, with: … }`). */
export function policyUsing(rules: string[]): string {
  return `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: p }
spec:
  namespaces: ["*"]
  rules:
${rules.map((r) => `    - ${r.startsWith('{') ? r : `rule: ${r}`}`).join('\n')}
`;
}

/** A plugin named `mut` whose rules are the given checks. */
export const checksPlugin = (...rules: [string, RuleDefinition['check']][]): PluginDefinition => ({
  name: 'mut',
  rules: rules.map(([id, check]) => ({ id, description: `rule ${id}`, check })),
});

/**
 * Evaluates `webDeployment` under `policyUsing(rules)` with `plugin` (50 ms rule timeout), as
 * `[rule, status, message]` rows; error findings show only their code.
 */
export async function findingsWith(plugin: PluginDefinition, rules: string[]) {
  const engine = engineFor(policyUsing(rules), { plugins: [plugin], ruleTimeoutMs: 50 });
  const report = await engine.evaluateText(webDeployment);
  return report.findings.map((f) => [
    f.rule,
    f.status,
    f.status === 'error' ? f.message.split(':')[0] : f.message,
  ]);
}
