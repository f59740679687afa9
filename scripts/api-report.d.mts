export interface ExportedName {
  name: string;
  /** `function`, `interface`, `const`, … (`class, type-only export` for a value exported as a type). */
  kind: string;
  /** True when the name exists at run time (not a type, not exported with `export type`). */
  runtime: boolean;
  /** The declaration as the .d.ts writes it, comments left out. */
  text: string;
}
export interface PackageApi {
  name: string;
  entries: { name: string; exported: ExportedName[] }[];
  files: { name: string; target: unknown }[];
}
export const REPORTED_PACKAGES: readonly string[];
export const REPORT_FILE: string;
export function readApi(packageDir: string | URL): PackageApi;
export function renderApiReport(packageDir: string | URL): string;
export function checkApiReport(packageDir: string | URL): { file: string; problems: string[] };
