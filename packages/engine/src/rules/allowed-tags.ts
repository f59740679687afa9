import type { RuleDefinition } from '../rule-contract.js';
import { imageLabel } from './describe.js';
import { booleanOption, optionRecord } from './options.js';
import { MAX_PATTERN_LENGTH, unsafeRegexReason } from './safe-regex.js';

export interface AllowedTagsOptions {
  /** A regular expression the whole tag must match (it is anchored: `^(?:pattern)$`). */
  pattern: string;
  /** Accept images pinned by digest without a tag (`nginx@sha256:…`). Default true. */
  allowDigestOnly?: boolean;
}

interface Prepared {
  regex: RegExp;
  source: string;
  allowDigestOnly: boolean;
}

/** Matches nothing: what `check` sees when the pattern was rejected (the policy then fails to load). */
const NEVER = /(?!)/;

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
        maxLength: MAX_PATTERN_LENGTH,
        description:
          'Regular expression matched against the whole tag, e.g. `v?[0-9]+\\.[0-9]+\\.[0-9]+`. No backreferences, lookarounds or nested quantifiers.',
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
    const problem =
      source === '' ? 'pattern is required' : (unsafeRegexReason(source) ?? compileProblem(source));
    if (problem !== undefined) {
      report({
        message: `tag pattern ${JSON.stringify(source)}: ${problem}`,
        field: 'pattern',
        code: 'POLICY_BAD_PATTERN',
      });
      return { regex: NEVER, source, allowDigestOnly };
    }
    // Anchored, so `[0-9]+\.[0-9]+` cannot be satisfied by `evil-1.2-latest`.
    return { regex: new RegExp(`^(?:${source})$`), source, allowDigestOnly };
  },
  check(facts, ctx) {
    const { image } = facts;
    if (!image.valid) return;
    const { regex, source, allowDigestOnly } = ctx.options;
    if (image.tag === null) {
      if (image.digest !== null) {
        if (allowDigestOnly) return;
        return ctx.fail(
          `${imageLabel(facts)} has a digest but no tag, and this policy wants a tag matching /${source}/ (allowDigestOnly: false).`,
        );
      }
      if (regex.test('latest')) return;
      return ctx.fail(
        `${imageLabel(facts)} has no tag, so Kubernetes runs it as :latest, which does not match the allowed tag pattern /${source}/.`,
      );
    }
    if (regex.test(image.tag)) return;
    return ctx.fail(
      `${imageLabel(facts)}: tag "${image.tag}" does not match the allowed tag pattern /${source}/.`,
    );
  },
};

function compileProblem(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
