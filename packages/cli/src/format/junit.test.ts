import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { context, sampleResult } from './__fixtures__/sample-result.js';
import { formatJunit } from './junit.js';

const parse = (xml: string) =>
  new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => ['testsuite', 'testcase'].includes(name),
  }).parse(xml);

describe('junit', () => {
  const doc = parse(formatJunit(sampleResult(), context));
  const suites = doc.testsuites.testsuite as { name: string; testcase: Record<string, unknown>[] }[];

  it('has one suite per file and one case per workload × governing rule', () => {
    const web = suites.find((s) => s.name === 'k8s/web.yaml')!;
    expect(web.testcase.map((c) => c.name)).toEqual([
      'Deployment/web disallow-latest',
      'Deployment/web require-explicit-pull-policy',
      'Deployment/web mutable-tags-require-always',
    ]);
  });

  it('fails cases with blocking findings and carries the message', () => {
    const web = suites.find((s) => s.name === 'k8s/web.yaml')!;
    const failure = web.testcase[0]!['failure'] as Record<string, string>;
    expect(failure['message']).toBe('nginx:latest uses the tag "latest"');
    expect(failure['type']).toBe('deny');
    // a warning does not fail under --fail-on deny, but is kept as output
    expect(web.testcase[1]!['failure']).toBeUndefined();
    expect(web.testcase[1]!['system-out']).toMatch(/^warn container web/);
    expect(web.testcase[2]!['failure']).toBeUndefined();
  });

  it('escapes names and messages so the XML parses back', () => {
    const debug = suites.find((s) => s.name === 'k8s/debug pod.yaml')!;
    expect(debug.testcase[0]!['name']).toBe('Pod/debug, "odd" <name> disallow-latest');
  });

  it('counts tests and failures, and reports load errors in their own suite', () => {
    expect(doc.testsuites.tests).toBe('5');
    expect(doc.testsuites.failures).toBe('2');
    const errors = suites.find((s) => s.name === 'load errors')!;
    expect((errors.testcase[0]!['failure'] as Record<string, string>)['type']).toBe('YAML_SYNTAX');
  });

  it('fails warnings too under --fail-on warn', () => {
    const warn = parse(formatJunit(sampleResult({ failOn: 'warn' }), context));
    expect(warn.testsuites.failures).toBe('3');
  });
});
