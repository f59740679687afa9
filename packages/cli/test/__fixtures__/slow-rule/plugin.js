// A plugin whose only rule answers after 100 ms: ten times the rule timeout the tests set when it
// must fail (10 ms), a tenth of the default (1000 ms) when it must pass, so neither outcome depends
// on how loaded the machine is (a timer never fires early: the answer cannot beat a 10 ms timeout).
export default {
  name: 'slow',
  rules: [
    {
      id: 'slow/wait',
      description: 'answers after 100 ms',
      defaultAction: 'deny',
      deterministic: false,
      check: () => new Promise((resolve) => setTimeout(resolve, 100)),
    },
  ],
};
