// The plugin of docs/plugins.md ("Writing a plugin"): compiled by examples' typecheck, run by acme-plugin.test.ts.
// #region plugin
import { definePlugin, defineRule } from '@pullguard/sdk';

export const noBusybox = defineRule({
  id: 'acme/no-busybox', // namespaced by the plugin name
  description: 'busybox images are not allowed',
  hint: 'Use registry.acme.io/base/debug instead.',
  defaultAction: 'deny',
  deterministic: true, // same facts, same outcome: results may be cached
  reads: ['image'], // …keyed on the image facts only
  options: {
    type: 'object',
    properties: { allowTags: { type: 'array', items: { type: 'string' } } },
    additionalProperties: false,
  },
  check(subject, ctx) {
    if (subject.image.name !== 'docker.io/library/busybox') return;
    // ctx.options is typed from the schema: { allowTags?: string[] | undefined }
    if (subject.image.tag !== null && ctx.options.allowTags?.includes(subject.image.tag)) return;
    return ctx.fail(`busybox is not allowed (${subject.image.familiar})`);
  },
});

export default definePlugin({ name: 'acme', version: '1.0.0', rules: [noBusybox] });
// #endregion plugin
