// The validator modules scripts/validator-codegen.mjs writes into generated/ at build time,
// imported statically only by policy/package-files.browser.ts (Node require()s them).
declare module '*/generated/pullpolicy-validator.cjs' {
  const module: import('./documents/precompiled-validators.js').GeneratedValidators;
  export default module;
}
declare module '*/generated/builtin-option-validators.cjs' {
  const module: import('./documents/precompiled-validators.js').GeneratedValidators;
  export default module;
}
