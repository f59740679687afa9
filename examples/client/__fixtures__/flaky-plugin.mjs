// A plugin whose rules fail in every way a rule can: the server must answer anyway.
import { definePlugin, defineRule } from '@pullguard/sdk';

export default definePlugin({
  name: 'flaky',
  rules: [
    defineRule({
      id: 'flaky/throws',
      description: 'throws',
      check: () => {
        throw new Error('kaboom');
      },
    }),
    defineRule({
      id: 'flaky/rejects',
      description: 'rejects',
      check: async () => {
        throw new Error('service down');
      },
    }),
    defineRule({ id: 'flaky/hangs', description: 'never answers', check: () => new Promise(() => {}) }),
  ],
});
