import type { RuleDefinition } from '../rule-contract.js';
import { imageLabel } from './describe.js';
import {
  type PreparedPatterns,
  preparePatterns,
  type RegistriesOptions,
  registriesOptionSchema,
} from './image-patterns-option.js';

export const deniedRegistries: RuleDefinition<RegistriesOptions, PreparedPatterns> = {
  id: 'denied-registries',
  description:
    'The image does not come from a denied registry or repository (matched on the normalized name).',
  hint: 'Use an image from a registry this policy does not deny.',
  defaultAction: 'deny',
  reads: ['image'],
  options: registriesOptionSchema('Denied patterns, same syntax as allowed-registries.'),
  prepare: (options, _entry, report) => preparePatterns(options, 'registries', report),
  check(facts, ctx) {
    const name = facts.image.name;
    if (name === null) return;
    const denied = ctx.options.set.match(name);
    if (denied === undefined) return;
    return ctx.fail(`${imageLabel(facts)} is ${name}, which matches the denied pattern ${denied.source}.`);
  },
};
