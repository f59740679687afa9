// @ts-check
/**
 * Workloads that run an image by a mutable tag (no digest) must say who owns them, so that someone
 * answers when the tag moves under a running workload: an owner annotation on the workload.
 *
 *   - rule: mutable-tag-owner/annotated
 *     with: { annotation: acme.io/owner, format: '[a-z0-9-]+(@acme\.io)?' }
 */
import { compileFullMatch, definePlugin, defineRule } from '@pullguard/sdk';

export const annotated = defineRule({
  id: 'mutable-tag-owner/annotated',
  description: 'Workloads running images by mutable tags carry an owner annotation',
  hint: 'Pin the image by digest, or add the owner annotation to the workload metadata.',
  defaultAction: 'warn',
  reads: ['image', 'workload'],
  // #region prepare
  options: {
    type: 'object',
    properties: {
      annotation: { type: 'string', minLength: 1, default: 'acme.io/owner' },
      /** A pattern (RE2 syntax) the whole owner must match: a team handle, an e-mail address. */
      format: { type: 'string', minLength: 1 },
    },
    additionalProperties: false,
  },
  prepare: (options, _entry, report) => {
    // Not `new RegExp`: the owner is whatever a workload's author wrote, and a backtracking match
    // of a pattern like `(a+)+$` on a long annotation would hold the rule for its whole timeout on
    // every admission. compileFullMatch matches in time linear in the owner's length (RE2), and
    // refuses what RE2 cannot express (backreferences, lookarounds) here, at the policy's field.
    if (options.format === undefined) return { annotation: options.annotation, format: undefined };
    const compiled = compileFullMatch(options.format);
    if (!compiled.ok) report({ field: 'format', message: compiled.message });
    return { annotation: options.annotation, format: compiled.ok ? compiled.pattern : undefined };
  },
  // #endregion prepare
  check(facts, ctx) {
    if (!facts.image.valid || facts.image.digest !== null) return;
    const { annotation, format } = ctx.options;
    const { annotations, kind, name } = facts.workload;
    const owner = Object.hasOwn(annotations, annotation) ? annotations[annotation]?.trim() : undefined;
    const tag = `${facts.image.familiar} uses the mutable tag "${facts.image.tag ?? 'latest'}"`;
    if (!owner) return ctx.fail(`${tag}, but ${kind}/${name} has no ${annotation} annotation`);
    if (format && !format.matches(owner)) {
      return ctx.fail(`${tag}, and the owner "${owner}" in ${annotation} does not match ${format.source}`);
    }
  },
});

export default definePlugin({ name: 'mutable-tag-owner', version: '1.0.0', rules: [annotated] });
