export function userFileValidators(): {
  file: string;
  options: Readonly<Record<string, unknown>>;
  schemas: Record<string, Record<string, unknown>>;
};
export function generateValidators(dirs: readonly string[]): void;
