export interface ValidatorSourceLike {
  file: string;
  options: Readonly<Record<string, unknown>>;
  schemas: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}
export function validatorModule(source: ValidatorSourceLike): string;
export function writeValidatorModules(sources: readonly ValidatorSourceLike[], dirs: readonly string[]): void;
