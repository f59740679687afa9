// A top-level await kept pending by a timer: the load timeout must stop it.
await new Promise(() => setInterval(() => {}, 1000));
export default { name: 'slow', rules: [] };
