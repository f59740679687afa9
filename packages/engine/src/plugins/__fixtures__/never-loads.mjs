// A top-level await that never settles: nothing keeps the event loop alive, so Node ends the thread (exit 13).
await new Promise(() => {});
export default { name: 'never', rules: [] };
