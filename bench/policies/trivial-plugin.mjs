// The plugin of the plugin-isolation measure (measures/plugins.mjs): one trivial, deterministic
// rule, so that what is measured is the cost of running a plugin rule, not the rule.
export default {
  name: 'bench',
  rules: [
    {
      id: 'bench/tag-named-latest',
      description: 'flags the tag "latest"',
      reads: ['image'],
      check: (facts, ctx) => (facts.image.tag === 'latest' ? ctx.fail('the tag is latest') : undefined),
    },
  ],
};
