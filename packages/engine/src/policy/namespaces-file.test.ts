import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../errors.js';
import { parseNamespacesFile } from './namespaces-file.js';

describe('the namespaces file', () => {
  it('reads Namespace objects given as separate documents', () => {
    const result = parseNamespacesFile(
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod-a\n  labels: { tier: prod }\n---\napiVersion: v1\nkind: Namespace\nmetadata: { name: default }\n`,
      'ns.yaml',
    );
    expect(result.errors).toEqual([]);
    expect(result.namespaces).toEqual([
      { name: 'prod-a', labels: { tier: 'prod' } },
      { name: 'default', labels: {} },
    ]);
    expect(result.labels).toEqual({ 'prod-a': { tier: 'prod' }, default: {} });
  });

  it('reads the List that `kubectl get namespaces -o yaml` prints', () => {
    const result = parseNamespacesFile(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: 'a', labels: { 'kubernetes.io/metadata.name': 'a' } },
          },
        ],
      }),
    );
    expect(result.namespaces).toEqual([{ name: 'a', labels: { 'kubernetes.io/metadata.name': 'a' } }]);
  });

  it('reports what is wrong and where, keeping the valid namespaces', () => {
    const result = parseNamespacesFile(
      `kind: Namespace\nmetadata: { name: Bad }\n---\nkind: Pod\nmetadata: { name: x }\n---\nkind: Namespace\nmetadata:\n  name: ok\n  labels: { tier: 3 }\n---\nkind: Namespace\nmetadata: { name: fine }\n---\nkind: Namespace\nmetadata: { name: fine }\n`,
      'ns.yaml',
    );
    expect(result.namespaces.map((n) => n.name)).toEqual(['fine']);
    expect(result.errors.map(formatDiagnostic)).toEqual([
      'ns.yaml:2:19: CONFIG_INVALID a Namespace needs metadata.name, a DNS label (found "Bad") (at metadata.name)',
      'ns.yaml:4:7: CONFIG_INVALID expected kind Namespace (found "Pod") (at kind)',
      'ns.yaml:10:19: CONFIG_INVALID label values must be strings (at metadata.labels.tier)',
      'ns.yaml:16:19: CONFIG_INVALID namespace "fine" is already listed at line 12 (at metadata.name)',
    ]);
  });

  it('reports YAML syntax errors as CONFIG_INVALID', () => {
    expect(parseNamespacesFile('a: [b', 'ns.yaml').errors[0]).toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
