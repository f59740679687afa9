// Rules that misbehave the ways only a thread can stop: a synchronous loop, and a rule that
// names the thread it runs in (so a test can tell a replaced worker from the first one).
import { threadId } from 'node:worker_threads';

export default {
  name: 'spin',
  rules: [
    {
      id: 'spin/forever',
      description: 'never returns',
      deterministic: false,
      check() {
        for (;;) {}
      },
    },
    {
      id: 'spin/thread',
      description: 'says which thread it ran in',
      deterministic: false,
      check: (_facts, ctx) => ctx.fail(`thread ${threadId}`),
    },
    {
      id: 'spin/image',
      description: 'deterministic: flags every image',
      reads: ['image'],
      check: (facts, ctx) => ctx.fail(`seen ${facts.image.raw}`),
    },
    {
      id: 'spin/sleepy',
      description: 'answers after 60 s, whatever its signal says',
      deterministic: false,
      check: () => new Promise((resolve) => setTimeout(resolve, 60_000)),
    },
    {
      id: 'spin/exits',
      description: 'ends its thread',
      deterministic: false,
      check() {
        process.exit(3);
      },
    },
  ],
};
