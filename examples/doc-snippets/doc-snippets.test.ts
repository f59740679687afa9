/**
 * The code in docs/sdk.md and docs/plugins.md is the code of files that the examples compile and
 * run: these tests fail when a block drifts from its file, and run the snippets that are programs.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, definePlugin, defineRule, type Facts, parsePolicies } from '@pullguard/sdk';
import { createRuleTester } from '@pullguard/sdk/testing';
import { describe, expect, it, vi } from 'vitest';
import acme from './acme-plugin.js';
import { checkBeforeSync } from './embed.js';
import { startEngine } from './errors.js';
import { engineWithRegistry } from './registry.js';
import { DOCUMENTS, findSnippets, REPO_ROOT, readSnippetSource, syncMarkdown } from './snippets.mjs';

const read = (path: string) => readFileSync(new URL(path, REPO_ROOT), 'utf8');

describe.each(DOCUMENTS)('%s', (doc) => {
  it('shows its marked code blocks exactly as the files they come from', () => {
    const text = read(doc);
    expect(findSnippets(text).length).toBeGreaterThan(0);
    // On failure: node examples/doc-snippets/snippets.mjs --write
    expect(syncMarkdown(text)).toBe(text);
  });

  it('names snippet files and regions that exist', () => {
    for (const s of findSnippets(read(doc))) expect(readSnippetSource(s.path, s.region).trim()).not.toBe('');
  });
});

describe('the facts example of docs/plugins.md', () => {
  it('is exactly what a rule sees for the example Deployment', async () => {
    const seen: Facts[] = [];
    const spy = definePlugin({
      name: 'spy',
      rules: [
        defineRule({
          id: 'spy/facts',
          description: 'records the facts',
          check: (facts) => void seen.push(facts),
        }),
      ],
    });
    await createRuleTester(spy).run('spy/facts', {
      manifests: read('examples/doc-snippets/facts-example.yaml'),
      namespace: 'team-payments',
      namespaceLabels: { team: 'payments', env: 'prod' },
    });
    expect(seen).toEqual([JSON.parse(read('examples/doc-snippets/facts-example.json'))]);
  });
});

describe('the embedding example of docs/sdk.md', () => {
  const policies = fileURLToPath(new URL('examples/policies', REPO_ROOT));

  it('with a registry resolver: judges a Deployment as the CLI does (its policies ask no registry)', async () => {
    const engine = await engineWithRegistry(policies);
    const report = await engine.evaluateText(read('examples/manifests/good/prod-a-web.yaml'), {
      namespace: 'prod-a',
    });
    expect(report.verdict).toBe('pass');
  });

  it('fails a Deployment that production denies, printing where and why', async () => {
    const print = vi.spyOn(console, 'error').mockImplementation(() => {});
    const report = await checkBeforeSync(policies, read('examples/manifests/bad/prod-a-latest.yaml'));
    expect(report.verdict).toBe('fail');
    expect(print).toHaveBeenCalledWith(
      expect.stringMatching(/^deploy\.yaml:17:18 deny require-digest: nginx is not pinned/),
    );
    print.mockRestore();
  });

  it('passes a Deployment that production allows', async () => {
    const report = await checkBeforeSync(policies, read('examples/manifests/good/prod-a-web.yaml'));
    expect(report.verdict).toBe('pass');
  });

  it('does not pass an allowed Deployment next to a document it cannot read, and prints why', async () => {
    const print = vi.spyOn(console, 'error').mockImplementation(() => {});
    const unreadable =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: [{name: a, image: [}\n';
    const report = await checkBeforeSync(
      policies,
      `${read('examples/manifests/good/prod-a-web.yaml')}---\n${unreadable}`,
    );
    expect(report.verdict).toBe('error');
    expect(print).toHaveBeenCalledWith(expect.stringMatching(/^deploy\.yaml:\d+:\d+: YAML_SYNTAX /));
    print.mockRestore();
  });
});

describe('the error-handling example of docs/sdk.md', () => {
  it('prints each problem with file, line, column and field, as the doc shows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pullguard-doc-'));
    const file = join(dir, 'prod.yaml');
    writeFileSync(
      file,
      'apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata:\n  name: prod\nspec:\n  namespaces: ["prod-*"]\n  rules:\n    - rule: require-digest\n    - rule: require-digests\n',
    );
    const print = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await startEngine(dir)).toBeUndefined();
    expect(print.mock.calls).toEqual([
      [
        `${file}:9:13: POLICY_UNKNOWN_RULE unknown rule "require-digests" (did you mean "require-digest"?) (at spec.rules[1].rule)`,
      ],
    ]);
    print.mockRestore();
  });

  it('returns the engine when the policies load', async () => {
    expect((await startEngine(fileURLToPath(new URL('examples/policies', REPO_ROOT))))?.fingerprint).toEqual(
      expect.any(String),
    );
  });
});

describe('the policy at the top of docs/plugins.md', () => {
  it('uses the acme plugin rule like a built-in', async () => {
    const { documents, errors } = parsePolicies([{ text: read('examples/doc-snippets/acme-policy.yaml') }]);
    expect(errors).toEqual([]);
    const engine = createEngine({ policies: documents, plugins: [acme] });
    const pod = (image: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debug', namespace: 'prod-a' },
      spec: { containers: [{ name: 'shell', image }] },
    });
    const report = await engine.evaluateObjects([pod('busybox:1.36'), pod('busybox:1.35')]);
    expect(report.findings.map((f) => `${f.rule} ${f.image.raw}`).sort()).toEqual([
      'acme/no-busybox busybox:1.35',
      'require-digest busybox:1.35',
      'require-digest busybox:1.36',
    ]);
  });
});
