// @ts-check
/**
 * A team's images come from its own registry path, taken from its namespace's `team` label:
 * a namespace labelled `team: payments` may run `registry.acme.io/payments/…` (and the shared
 * base images the policy lists), nothing else.
 *
 *   - rule: team-registry/own-path
 *     with: { registry: registry.acme.io, shared: [registry.acme.io/base/] }
 *
 * Load it with `pullguard check --plugin ./examples/plugins/team-registry.js`.
 */
import { definePlugin, defineRule } from '@pullguard/sdk';

/** A team name becomes one path component of an image name: the reference grammar's path component. */
const TEAM_NAME = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

export const ownPath = defineRule({
  id: 'team-registry/own-path',
  description: "Images come from the registry path of the namespace's team (label `team`)",
  hint: 'Push the image to your team path (registry.acme.io/<team>/…) or ask the platform team to add a shared prefix.',
  defaultAction: 'deny',
  deterministic: true,
  // The outcome depends only on the image and the namespace's labels: cached results key on these.
  reads: ['image', 'namespace'],
  options: {
    type: 'object',
    properties: {
      registry: { type: 'string', pattern: '^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)*/?$' },
      label: { type: 'string', minLength: 1, default: 'team' },
      shared: { type: 'array', items: { type: 'string', minLength: 1 }, default: [] },
      requireTeam: { type: 'boolean', default: false },
    },
    required: ['registry'],
    additionalProperties: false,
  },
  // Schema defaults are filled in before prepare runs: only the registry needs normalizing.
  prepare: (options) => ({ ...options, registry: options.registry.replace(/\/?$/, '/') }),
  check(facts, ctx) {
    const { registry, label, shared, requireTeam } = ctx.options;
    const name = facts.image.name;
    if (name === null) return; // an unparsable reference is reported by the built-in rules
    if (shared.some((prefix) => name.startsWith(prefix))) return;
    const labels = facts.namespace.labels;
    const team = labels !== null && Object.hasOwn(labels, label) ? labels[label] : undefined;
    if (team === undefined) {
      if (!requireTeam) return;
      const why = labels === null ? 'its labels are unknown' : `it has no "${label}" label`;
      return ctx.fail(`namespace ${facts.namespace.name} has no team: ${why}`);
    }
    if (!TEAM_NAME.test(team)) {
      return ctx.fail(`namespace ${facts.namespace.name} has an invalid "${label}" label "${team}"`);
    }
    const own = `${registry}${team}/`;
    if (!name.startsWith(own)) {
      return ctx.fail(`image ${facts.image.raw} is not under team ${team}'s registry path ${own}`);
    }
  },
});

export default definePlugin({ name: 'team-registry', version: '1.0.0', rules: [ownPath] });
