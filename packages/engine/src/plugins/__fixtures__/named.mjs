export const plugin = { name: 'named', rules: [] };
