import { describe, expect, it, vi } from 'vitest';
import {
  compareDiagnostics,
  type Diagnostic,
  ERROR_CODES,
  formatDiagnostic,
  isPullguardError,
  PullguardAggregateError,
  PullguardError,
} from './errors.js';

describe('the error registry', () => {
  it('gives every code a category the edges can map to an exit code or HTTP status', () => {
    for (const [code, entry] of Object.entries(ERROR_CODES)) {
      expect(['input', 'policy', 'rule', 'internal'], code).toContain(entry.category);
      expect(entry.summary.length, code).toBeGreaterThan(10);
    }
  });

  it('carries code, location and field on a thrown error', () => {
    const error = new PullguardError('POLICY_BAD_GLOB', 'unterminated character class', {
      location: { file: 'p.yaml', line: 4, column: 7 },
      field: 'spec.namespaces[0]',
    });
    expect(error.category).toBe('policy');
    expect(formatDiagnostic(error.toDiagnostic())).toBe(
      'p.yaml:4:7: POLICY_BAD_GLOB unterminated character class (at spec.namespaces[0])',
    );
  });
});

describe('diagnostics', () => {
  const at = (file: string, line: number, column = 1): Diagnostic => ({
    code: 'YAML_SYNTAX',
    message: 'x',
    location: { file, line, column },
    severity: 'error',
  });

  it('sort by file, then line, then column', () => {
    const sorted = [at('b.yaml', 1), at('a.yaml', 9), at('a.yaml', 2, 5), at('a.yaml', 2, 1)].sort(
      compareDiagnostics,
    );
    expect(sorted.map(formatDiagnostic)).toEqual([
      'a.yaml:2:1: YAML_SYNTAX x',
      'a.yaml:2:5: YAML_SYNTAX x',
      'a.yaml:9:1: YAML_SYNTAX x',
      'b.yaml:1:1: YAML_SYNTAX x',
    ]);
  });

  it('are reported all together, sorted, by an aggregate error', () => {
    const error = new PullguardAggregateError('2 policy errors', [at('b.yaml', 1), at('a.yaml', 3)]);
    expect(error.diagnostics.map((d) => d.location?.file)).toEqual(['a.yaml', 'b.yaml']);
    expect(error.message).toContain('b.yaml:1:1: YAML_SYNTAX x');
  });
});

describe('errors from another copy of the engine', () => {
  // The bundled CLI and a plugin's @pullguard/sdk each carry their own copy of this module.
  it('are recognised by instanceof and isPullguardError', async () => {
    vi.resetModules();
    const secondInstance = './errors.js?copy';
    const other: typeof import('./errors.js') = await import(secondInstance);
    expect(other.PullguardError).not.toBe(PullguardError);
    const error = new other.PullguardError('POLICY_BAD_OPTIONS', 'bad');
    const aggregate = new other.PullguardAggregateError('1 error', [error.toDiagnostic()]);
    expect(error).toBeInstanceOf(PullguardError);
    expect(isPullguardError(error)).toBe(true);
    expect(aggregate).toBeInstanceOf(PullguardAggregateError);
    expect(aggregate).not.toBeInstanceOf(PullguardError);
  });

  it('are not confused with other errors', () => {
    expect(new Error('x')).not.toBeInstanceOf(PullguardError);
    expect({ code: 'INTERNAL' }).not.toBeInstanceOf(PullguardError);
    expect(isPullguardError(null)).toBe(false);
  });
});
