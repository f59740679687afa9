// A plugin as a platform team writes it: an ESM file with a default export.
export default {
  name: 'team',
  version: '1.0.0',
  rules: [
    {
      id: 'team/no-busybox',
      description: 'busybox is for debugging only',
      check: (facts, ctx) =>
        facts.image.name === 'docker.io/library/busybox' ? ctx.fail(`${facts.image.raw} is a debugging image`) : undefined,
    },
  ],
};
