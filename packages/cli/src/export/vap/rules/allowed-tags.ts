/**
 * allowed-tags: the tag matches the policy's pattern, anchored as `^(?:pattern)$`, with RE2
 * semantics (what CEL `matches` is, and what the engine's allowed-tags uses). An image with neither
 * tag nor digest is judged as `latest`, the tag Kubernetes runs; one pinned by digest alone passes
 * unless `allowDigestOnly` is false. The pattern must compile as RE2 (the API server rejects a
 * policy whose regex literal does not, ValidateRegexLiterals since 1.29).
 */
import { RE2JS } from '@bufbuild/re2';
import { str } from '../cel.js';
import { isUnexported, preparedOptions, type Translator } from './translator.js';

export const allowedTags: Translator = (rule) => {
  const options = preparedOptions<{ source: string; allowDigestOnly: boolean }>(rule, {
    source: 'string',
    allowDigestOnly: 'boolean',
  });
  if (isUnexported(options)) return options;
  const anchored = `^(?:${options.source})$`;
  let latestMatches: boolean;
  try {
    latestMatches = RE2JS.compile(anchored).test('latest');
  } catch (error) {
    return { unexported: `its tag pattern is not a valid RE2 expression: ${(error as Error).message}` };
  }
  // Neither tag nor digest: judged as `latest`, a constant here. Digest only: `allowDigestOnly`.
  const untagged = (r: string) => {
    const digestOnly = options.allowDigestOnly ? 'false' : 'true';
    const implicitLatest = latestMatches ? 'false' : 'true';
    if (digestOnly === implicitLatest) return digestOnly;
    return `(${r}.digest != '' ? ${digestOnly} : ${implicitLatest})`;
  };
  return {
    validation: {
      violation: (r) =>
        `${r}.valid && (${r}.tag == '' ? ${untagged(r)} : !${r}.tag.matches(${str(anchored)}))`,
      message: `tags must match /${options.source}/`,
    },
  };
};
