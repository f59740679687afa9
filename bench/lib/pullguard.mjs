/**
 * pullguard as the harness sees it: the BUILT packages (dist), imported lazily so that a package
 * that is not there yet (or fails to load) makes only the measurements that need it report `null`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { benchPolicyFile, cliBin } from './paths.mjs';

/** Thrown by a measurement that cannot run (yet); the runner reports `null` and the reason. */
export class Unavailable extends Error {}

let enginePromise;

/** The @pullguard/engine module, checked for the functions the harness uses. */
export function engineModule() {
  enginePromise ??= import('@pullguard/engine').then(
    (engine) => {
      for (const name of ['createEngine', 'parsePolicies']) {
        if (typeof engine[name] !== 'function') {
          throw new Unavailable(`@pullguard/engine does not export ${name} yet`);
        }
      }
      return engine;
    },
    (error) => {
      throw new Unavailable(`@pullguard/engine does not load: ${error.message.split('\n')[0]}`);
    },
  );
  return enginePromise;
}

/** Parses PullPolicy sources; any error is a harness bug or a contract change, reported as such. */
export async function policyDocuments(sources) {
  const { parsePolicies, formatDiagnostic } = await engineModule();
  const { documents, errors } = parsePolicies(sources);
  if (errors.length > 0) {
    throw new Unavailable(
      `the bench policies do not parse: ${errors.slice(0, 3).map(formatDiagnostic).join('; ')}`,
    );
  }
  return documents;
}

export const benchPolicyText = () => readFileSync(benchPolicyFile, 'utf8');

let benchDocuments;

/** The bench policy, parsed once per process. */
export async function benchPolicies() {
  benchDocuments ??= await policyDocuments([{ text: benchPolicyText(), file: benchPolicyFile }]);
  return benchDocuments;
}

const FIXED_NOW = Date.UTC(2026, 10, 25);
const fixedClock = { now: () => FIXED_NOW };

/** An engine with the bench policy (or `policies`), a result cache unless `cache: false`, a fixed clock. */
export async function benchEngine({ cache, policies } = {}) {
  const { createEngine } = await engineModule();
  return createEngine({ policies: policies ?? (await benchPolicies()), cache, clock: fixedClock });
}

/** Per-rule verdicts of one report: `{ [rule]: 'fail' | 'error' }` for every rule with a blocking finding. */
export function reportVerdicts(report) {
  const verdicts = {};
  for (const finding of report.findings) {
    if (finding.exemption?.status === 'active' || finding.action !== 'deny') continue;
    verdicts[finding.rule] = finding.status === 'error' ? 'error' : (verdicts[finding.rule] ?? 'fail');
  }
  return verdicts;
}

export function requireCli() {
  if (!existsSync(cliBin)) throw new Unavailable(`${cliBin} is not built yet`);
  return cliBin;
}

export async function serverModule() {
  try {
    const server = await import('@pullguard/server');
    if (typeof server.createApp !== 'function')
      throw new Unavailable('@pullguard/server does not export createApp yet');
    return server;
  } catch (error) {
    if (error instanceof Unavailable) throw error;
    throw new Unavailable(`@pullguard/server does not load: ${error.message.split('\n')[0]}`);
  }
}
