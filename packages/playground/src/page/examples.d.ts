// The examples menu, bundled from examples/ by scripts/build-site.mjs.
declare module 'pullguard:examples' {
  const examples: {
    group: string;
    label: string;
    state: Partial<import('../core/state.js').PlaygroundState>;
  }[];
  export default examples;
}
