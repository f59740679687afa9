/**
 * `pullguard drift --format policyreport|openreports`: one result per container, in its Pod's
 * namespace report, under the policy `pullguard-drift` and the rule `tag-unmoved`:
 *
 * - `drifted` → `fail`: the tag names other content than the node runs (what exits 1);
 * - `current`, `pinned` → `pass`: it runs what its tag names, or a digest no tag can move;
 * - `unknown` because the registry could not be asked → `error`: the run cannot vouch for the
 *   container (what exits 2), and a registry that is down must not read as compliant;
 * - any other `unknown` (no status yet, an image ID the runtime gave instead of a repo digest, no
 *   registry access with `--offline`, a reference that does not parse) → `skip`: nothing failed,
 *   there was nothing to compare.
 */
import type { DriftEntry } from '../drift/drift.js';
import type { PlacedResult, ReportStatus } from './policyreport-reports.js';

export const DRIFT_POLICY = 'pullguard-drift';
export const DRIFT_RULE = 'tag-unmoved';

function status(entry: DriftEntry): ReportStatus {
  switch (entry.state) {
    case 'drifted':
      return 'fail';
    case 'current':
    case 'pinned':
      return 'pass';
    case 'unknown':
      return entry.registryError === null ? 'skip' : 'error';
  }
}

export function driftResults(entries: readonly DriftEntry[]): PlacedResult[] {
  return entries.map((entry) => {
    const properties: Record<string, string> = {
      container: entry.container,
      containerType: entry.containerType,
      image: entry.image,
      pullPolicy: entry.pullPolicy,
      state: entry.state,
    };
    if (entry.runningDigest !== null) properties['runningDigest'] = entry.runningDigest;
    if (entry.tagDigest !== null) properties['tagDigest'] = entry.tagDigest;
    if (entry.imageID !== null) properties['imageID'] = entry.imageID;
    if (entry.stale) properties['stale'] = 'true';
    return {
      namespace: entry.namespace,
      result: {
        policy: DRIFT_POLICY,
        rule: DRIFT_RULE,
        result: status(entry),
        severity: 'medium',
        category: 'Drift',
        message: entry.why,
        resources: [
          {
            apiVersion: 'v1',
            kind: 'Pod',
            name: entry.pod,
            namespace: entry.namespace,
            ...(entry.uid === null ? {} : { uid: entry.uid }),
          },
        ],
        properties,
      },
    };
  });
}
