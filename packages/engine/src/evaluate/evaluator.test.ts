import { describe, expect, it } from 'vitest';
import { digestPolicy, engineFor, webDeployment } from './__fixtures__/engine-harness.js';

describe('the evaluator', () => {
  // evaluateManifests is not `async` (docs/performance-invariants.md#synchronous-evaluations), so
  // whatever fails inside it must still reach the caller as a rejection.
  it('answers with a promise that rejects when something fails, never with a throw', async () => {
    const engine = engineFor(digestPolicy());
    const namespaceLabels = Object.defineProperty({}, 'prod', {
      enumerable: true,
      get() {
        throw new Error('labels that cannot be read');
      },
    });
    let pending: Promise<unknown> | undefined;
    expect(() => {
      pending = engine.evaluateText(webDeployment, { namespaceLabels });
    }).not.toThrow();
    await expect(pending).rejects.toThrow('labels that cannot be read');
  });
});
