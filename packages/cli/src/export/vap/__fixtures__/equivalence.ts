/**
 * One comparison of the equivalence tests: the engine (as `pullguard check` judges an admitted
 * object) against the exported objects in the simulated API server, for one object in one
 * namespace. Rules the export reports as not exported are left out, and so are the inputs whose
 * outcome waits on an engine change the CEL already implements (pending-semantics.ts).
 */
import {
  compilePolicies,
  createEngine,
  createRuleCatalog,
  type Engine,
  type PolicyDocument,
} from '@pullguard/engine';
import { expect } from 'vitest';
import { exportVap, type VapExport } from '../export-vap.js';
import { admitted, engineOutcome, type Outcome, refsOf, vapOutcome } from './admission.js';
import type { Namespace } from './api-server.js';
import { aliasPending, nameLengthPending, pendingNotice } from './pending-semantics.js';

type Json = Record<string, unknown>;

export interface Setup {
  engine: Engine;
  exported: VapExport;
  /** `policy|rule` not exported: their findings are not compared. */
  skip: Set<string>;
}

export function setUp(documents: PolicyDocument[], now: number): Setup {
  const compiled = compilePolicies(documents, createRuleCatalog().registry, { now });
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

/**
 * What waits on an engine change for this object (pending-semantics.ts): `all` when an image's
 * validity does (the name-length rule), else the rule ids whose outcome does (denylist aliases).
 */
function pendingFor(setup: Setup, input: Json, namespace: Namespace): 'all' | Set<string> {
  const refs = refsOf(setup.exported.objects, input, namespace);
  if (refs.some((r) => nameLengthPending(r['raw'] as string, r['name'] as string, r['path'] as string)))
    return 'all';
  return new Set(
    refs.some((r) => r['valid'] === true && aliasPending(r['lname'] as string)) ? ['denied-registries'] : [],
  );
}

export type Compared = 'compared' | 'left out' | 'partly';

export const newCounts = (): Record<Compared, number> => ({ compared: 0, 'left out': 0, partly: 0 });

export function report(counts: Record<Compared, number>): void {
  const notice = pendingNotice({
    'objects left out (an image near the name-length limit, change c)': counts['left out'],
    'objects compared without denied-registries (an image naming its registry another way, change b)':
      counts.partly,
  });
  if (notice) console.warn(notice);
}

export async function compare(
  setup: Setup,
  object: Json,
  namespace: Namespace,
  subResource?: 'ephemeralcontainers',
): Promise<Compared> {
  const input = admitted(object, namespace.name);
  const pending = pendingFor(setup, input, namespace);
  if (pending === 'all') return 'left out';
  const engine = await engineOutcome(setup.engine, input, namespace);
  const vap = vapOutcome(setup.exported.objects, input, namespace, subResource);
  const ignored = (f: string) => {
    const [policy, rule] = f.split('|');
    return setup.skip.has(`${policy}|${rule}`) || pending.has(rule as string);
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
  return pending.size > 0 ? 'partly' : 'compared';
}

