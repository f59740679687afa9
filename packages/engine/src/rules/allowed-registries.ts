import type { RuleDefinition } from '../rule-contract.js';
import { imageLabel } from './describe.js';
import {
  type PreparedPatterns,
  preparePatterns,
  type RegistriesOptions,
  registriesOptionSchema,
} from './image-patterns-option.js';

/** Names are compared normalized: `nginx` is `docker.io/library/nginx`, so a `docker.io/acme/` allowlist rejects it. */
export const allowedRegistries: RuleDefinition<RegistriesOptions, PreparedPatterns> = {
  id: 'allowed-registries',
  description: 'The image comes from an approved registry or repository (matched on the normalized name).',
  hint: 'Use an image from an approved registry (mirror it there if needed).',
  defaultAction: 'deny',
  reads: ['image'],
  options: registriesOptionSchema(
    'Approved patterns: `registry.acme.io/` (host prefix), `ghcr.io/acme/` (path prefix), `docker.io/library/nginx` (exact), globs.',
  ),
  // An allowlist matches names as written: another spelling of an allowed registry fails closed.
  prepare: (options, _entry, report) => preparePatterns(options, 'registries', report, 'exact'),
  check(facts, ctx) {
    const name = facts.image.name;
    if (name === null || ctx.options.set.match(name) !== undefined) return;
    return ctx.fail(
      `${imageLabel(facts)} is ${name}, which matches none of the allowed registries (${ctx.options.summary}).`,
    );
  },
};
