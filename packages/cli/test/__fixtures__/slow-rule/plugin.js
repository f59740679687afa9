// A plugin whose only rule answers after 300 ms: with a shorter rule timeout it is reported as an error.
export default {
  name: 'slow',
  rules: [
    {
      id: 'slow/wait',
      description: 'answers after 300 ms',
      defaultAction: 'deny',
      deterministic: false,
      check: () => new Promise((resolve) => setTimeout(resolve, 300)),
    },
  ],
};
