import { canonicalHostName } from '../images/pattern-glob.js';
import { canonicalRegistryName } from '../images/registry-aliases.js';
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
    'The image does not come from a denied registry or repository (matched on the normalized name, under every spelling of its registry).',
  hint: 'Use an image from a registry this policy does not deny.',
  defaultAction: 'deny',
  reads: ['image'],
  options: registriesOptionSchema(
    'Denied patterns, same syntax as allowed-registries; every spelling of a registry is denied (`:443`, Docker Hub’s names).',
  ),
  prepare: (options, _entry, report) => preparePatterns(options, 'registries', report, 'registry'),
  check(facts, ctx) {
    const name = facts.image.name;
    if (name === null) return;
    const denied = ctx.options.set.match(name);
    if (denied === undefined) return;
    const canonical = canonicalRegistryName(canonicalHostName(name));
    const alias = canonical === name ? '' : ` (another spelling of ${canonical})`;
    return ctx.fail(
      `${imageLabel(facts)} is ${name}${alias}, which matches the denied pattern ${denied.source}.`,
    );
  },
};
