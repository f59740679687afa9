import { expect, it } from 'vitest';
import { checkApiReport } from '../../../scripts/api-report.mjs';

it('exports exactly what api-report.md records (the built declarations; review a change there)', () => {
  expect(checkApiReport(new URL('..', import.meta.url)).problems).toEqual([]);
});
