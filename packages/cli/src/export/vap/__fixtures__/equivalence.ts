/**
 * One comparison of the equivalence tests: the engine (as `pullguard check` judges an admitted
 * object) against the exported objects in the simulated API server, for one object in one
 * namespace. Rules the export reports as not exported are left out.
 */
import { createEngine, type Engine, type PolicyDocument } from '@pullguard/engine';
import { compilePolicies, createRuleCatalog } from '@pullguard/engine/internals';
import { expect } from 'vitest';
import { exportVap, type VapExport } from '../export-vap.js';
import { admitted, engineOutcome, type Outcome, vapOutcome } from './admission.js';
import type { Namespace } from './api-server.js';

type Json = Record<string, unknown>;

export interface Setup {
  engine: Engine;
  exported: VapExport;
  /** `policy|rule` not exported: their findings are not compared. */
  skip: Set<string>;
}

export function setUp(documents: PolicyDocument[], now: number): Setup {
  const compiled = compilePolicies(documents, createRuleCatalog().rules, { now });
  if (!compiled.ok) throw new Error(compiled.errors.map((e) => e.message).join('\n'));
  const exported = exportVap({ set: compiled.set, now });
  const engine = createEngine({ policies: documents, clock: { now: () => now } });
  return {
    engine,
    exported,
    skip: new Set(
      exported.notExported
        .filter((n) => n.severity === 'unexported' && !n.reason.startsWith('mutate'))
        .map((n) => `${n.policy}|${n.rule}`),
    ),
  };
}

export async function compare(
  setup: Setup,
  object: Json,
  namespace: Namespace,
  subResource?: 'ephemeralcontainers',
): Promise<void> {
  const input = admitted(object, namespace.name);
  const engine = await engineOutcome(setup.engine, input, namespace);
  const vap = vapOutcome(setup.exported.objects, input, namespace, subResource);
  const ignored = (f: string) => {
    const [policy, rule] = f.split('|');
    return setup.skip.has(`${policy}|${rule}`);
  };
  const compared = (o: Outcome) => o.findings.filter((f) => !ignored(f));
  // A deny from a rule left out decides the engine's verdict: then the verdicts are not comparable.
  const verdictComparable =
    !engine.findings.some((f) => ignored(f) && f.endsWith('|deny')) &&
    !vap.findings.some((f) => ignored(f) && f.endsWith('|deny'));
  expect(
    { findings: compared(vap), denied: verdictComparable ? vap.denied : engine.denied },
    JSON.stringify(input),
  ).toEqual({
    findings: compared(engine),
    denied: engine.denied,
  });
  for (const message of vap.messages) expect(message).toMatch(/^[a-z0-9][a-z0-9./_-]*: /);
}

