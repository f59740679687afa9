// The failures run-rule.ts turns into RULE_ERROR / RULE_TIMEOUT in-process, from a worker-loaded plugin.
export default {
  name: 'bad',
  rules: [
    { id: 'bad/throws', description: 'd', check: () => { throw new Error('boom'); } },
    { id: 'bad/rejects', description: 'd', check: async () => { throw new Error('service said 503'); } },
    {
      id: 'bad/hangs',
      description: 'd',
      check: (_facts, ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(undefined))),
    },
    { id: 'bad/garbage', description: 'd', check: () => 42 },
    {
      id: 'bad/getter',
      description: 'd',
      check: () => ({ get message() { throw new Error('read me not'); } }),
    },
    {
      id: 'bad/writes',
      description: 'd',
      check: (facts) => {
        facts.image.digest = 'forged';
      },
    },
    { id: 'bad/async-ok', description: 'd', check: async (facts, ctx) => ctx.fail(`${facts.image.raw} checked remotely`) },
    {
      id: 'bad/prepared',
      description: 'prepared options that cannot cross threads: a function',
      options: { type: 'object', properties: { prefix: { type: 'string', default: 'nginx' } } },
      prepare: (options) => ({ matches: (raw) => raw.startsWith(options.prefix) }),
      check: (facts, ctx) => (ctx.options.matches(facts.image.raw) ? ctx.fail(`${ctx.policy}/${ctx.namespace} matched`) : undefined),
    },
    {
      id: 'bad/prepare-spins',
      description: 'prepare never returns for a bad option',
      options: { type: 'object', properties: { spin: { type: 'boolean' } } },
      prepare: (options, _entry, report) => {
        if (options.spin) for (;;) {}
        if (options.spin === false) report({ field: 'spin', message: 'spin must not be false' });
        return options;
      },
      check: () => undefined,
    },
  ],
};
