/**
 * The rules that judge the reference and pull policy alone (packages/engine/src/rules): each
 * violation below restates the `check` of the rule of the same id, over `variables.refs`.
 */
import { strList } from '../cel.js';
import { isUnexported, preparedOptions, type Translator, type Validation } from './translator.js';

/** invalid-image: the reference does not parse (also the always-on instance of no policy). */
export const INVALID_IMAGE: Validation = {
  violation: (r) => `!${r}.valid`,
  message: 'the image reference does not parse (kubelet fails it with InvalidImageName)',
};

export const invalidImage: Translator = () => ({ validation: INVALID_IMAGE });

/** require-digest: no digest; or a tag next to the digest when `allowTag` is false. */
export const requireDigest: Translator = (rule) => {
  const options = preparedOptions<{ allowTag: boolean }>(rule, { allowTag: 'boolean' });
  if (isUnexported(options)) return options;
  return {
    validation: {
      violation: (r) =>
        options.allowTag
          ? `${r}.valid && ${r}.digest == ''`
          : `${r}.valid && (${r}.digest == '' || ${r}.tag != '')`,
      message: options.allowTag
        ? 'images must be pinned by digest'
        : 'images must be pinned by digest alone, without a tag',
    },
  };
};

/** disallow-latest: neither tag nor digest, or `:latest` (with a digest only when `allowDigestPinned` is false). */
export const disallowLatest: Translator = (rule) => {
  const options = preparedOptions<{ allowDigestPinned: boolean }>(rule, { allowDigestPinned: 'boolean' });
  if (isUnexported(options)) return options;
  return {
    validation: {
      violation: (r) => {
        const latest = options.allowDigestPinned
          ? `(${r}.tag == 'latest' && ${r}.digest == '')`
          : `${r}.tag == 'latest'`;
        return `${r}.valid && ((${r}.tag == '' && ${r}.digest == '') || ${latest})`;
      },
      message: 'images must not run :latest, written or implied by a missing tag',
    },
  };
};

/** allowed-pull-policies: the effective pull policy is not one of `policies`. */
export const allowedPullPolicies: Translator = (rule) => {
  const options = preparedOptions<{ policies: string[] }>(rule, { policies: 'string[]' });
  if (isUnexported(options)) return options;
  return {
    validation: {
      violation: (r) => `${r}.valid && !(${r}.effective in ${strList(options.policies)})`,
      message: `imagePullPolicy must be one of ${options.policies.join(', ')}`,
    },
  };
};

/** mutable-tags-require-always: no digest, and pulled with something other than Always. */
export const mutableTagsRequireAlways: Translator = () => ({
  validation: {
    violation: (r) => `${r}.valid && ${r}.digest == '' && ${r}.effective != 'Always'`,
    message: 'images not pinned by digest must be pulled with imagePullPolicy: Always',
  },
});
