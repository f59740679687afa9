import type { RuleDefinition } from '../rule-contract.js';
import { imageLabel } from './describe.js';
import { booleanOption, optionRecord } from './options.js';
import { compileFullMatch, type FullMatchPattern, PATTERN_MAX_LENGTH } from './re2-pattern.js';

export interface AllowedTagsOptions {
  /**
   * An RE2 regular expression the whole tag must match (as `^(?:pattern)$`); no backreferences
   * or lookarounds. Matched in linear time (re2-pattern.ts).
   */
  pattern: string;
  /** Accept images pinned by digest without a tag (`nginx@sha256:…`). Default true. */
  allowDigestOnly?: boolean;
}

interface Prepared {
  /** Undefined when the pattern was rejected (the policy then fails to load). */
  tags: FullMatchPattern | undefined;
  source: string;
  allowDigestOnly: boolean;
}

export const allowedTags: RuleDefinition<AllowedTagsOptions, Prepared> = {
  id: 'allowed-tags',
  description:
    'The tag matches a pattern (e.g. semantic versions). An image with neither tag nor digest is judged as `latest`, the tag Kubernetes runs.',
  hint: 'Use a tag that matches the policy pattern (for example a release version such as `1.25.3`).',
  defaultAction: 'deny',
  reads: ['image'],
  options: {
    type: 'object',
    additionalProperties: false,
    required: ['pattern'],
    properties: {
      pattern: {
        type: 'string',
        minLength: 1,
        maxLength: PATTERN_MAX_LENGTH,
        description:
          'RE2 regular expression matched against the whole tag (as `^(?:pattern)$`), e.g. `v?[0-9]+\\.[0-9]+\\.[0-9]+`. No backreferences or lookarounds.',
      },
      allowDigestOnly: {
        type: 'boolean',
        description: 'Accept `name@sha256:…` without a tag. Default true.',
      },
    },
  },
  prepare(options, _entry, report) {
    const allowDigestOnly = booleanOption(options, 'allowDigestOnly', true);
    const raw = optionRecord(options)['pattern'];
    const source = typeof raw === 'string' ? raw : '';
    const compiled = compileFullMatch(source);
    if (!compiled.ok) {
      report({
        message: `tag pattern ${JSON.stringify(source)}: ${compiled.message}`,
        field: 'pattern',
        code: 'POLICY_BAD_PATTERN',
      });
      return { tags: undefined, source, allowDigestOnly };
    }
    // Whole-tag matching, so `[0-9]+\.[0-9]+` cannot be satisfied by `evil-1.2-latest`.
    return { tags: compiled.pattern, source, allowDigestOnly };
  },
  check(facts, ctx) {
    const { image } = facts;
    if (!image.valid) return;
    const { tags, source, allowDigestOnly } = ctx.options;
    if (image.tag === null) {
      if (image.digest !== null) {
        if (allowDigestOnly) return;
        return ctx.fail(
          `${imageLabel(facts)} has a digest but no tag, and this policy wants a tag matching /${source}/ (allowDigestOnly: false).`,
        );
      }
      if (tags?.matches('latest')) return;
      return ctx.fail(
        `${imageLabel(facts)} has no tag, so Kubernetes runs it as :latest, which does not match the allowed tag pattern /${source}/.`,
      );
    }
    if (tags?.matches(image.tag)) return;
    return ctx.fail(
      `${imageLabel(facts)}: tag "${image.tag}" does not match the allowed tag pattern /${source}/.`,
    );
  },
};
