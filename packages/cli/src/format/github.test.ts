import { describe, expect, it } from 'vitest';
import { context, sampleResult } from './__fixtures__/sample-result.js';
import { escapeData, escapeProperty, formatGithub } from './github.js';

describe('github workflow commands', () => {
  it('escapes %, CR and LF in messages, and also : and , in properties', () => {
    expect(escapeData('100%\r\nnext: a,b')).toBe('100%25%0D%0Anext: a,b');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });

  it('writes one ::error per deny finding with file, line, col and title', () => {
    const lines = formatGithub(sampleResult(), context).trim().split('\n');
    expect(lines).toContain(
      '::error file=k8s/web.yaml,line=12,col=18,title=pullguard disallow-latest::Deployment/web container web: nginx:latest uses the tag "latest"%0AUse a version tag.',
    );
  });

  it('turns warnings into ::warning and exempted findings into ::notice', () => {
    const out = formatGithub(sampleResult(), context);
    expect(out).toMatch(
      /^::warning file=k8s\/web.yaml,line=12,col=18,title=pullguard require-explicit-pull-policy::/m,
    );
    expect(out).toMatch(
      /^::notice file=k8s\/debug pod.yaml,line=3,col=5,title=pullguard disallow-latest \(exempted\)::Pod\/debug, "odd" <name> container sh: busybox has no tag: 100%25 latest%0Asecond line/m,
    );
  });

  it('reports load errors as ::error with their code', () => {
    expect(formatGithub(sampleResult(), context)).toMatch(
      /^::error file=k8s\/broken.yaml,line=4,col=2,title=pullguard YAML_SYNTAX::bad indentation$/m,
    );
  });

  it('keeps every command on one line, whatever the message contains', () => {
    const lines = formatGithub(sampleResult(), context).trim().split('\n');
    expect(lines.every((l) => l.startsWith('::'))).toBe(true);
  });
});
