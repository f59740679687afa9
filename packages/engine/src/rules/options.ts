/** Reading `with:` options that the compiler has validated against the rule's schema (or that are absent). */

/** The options as a record: absent `with:` reads as `{}`. */
export function optionRecord(options: unknown): Readonly<Record<string, unknown>> {
  return typeof options === 'object' && options !== null && !Array.isArray(options)
    ? (options as Record<string, unknown>)
    : {};
}

export function booleanOption(options: unknown, name: string, fallback: boolean): boolean {
  const value = optionRecord(options)[name];
  return typeof value === 'boolean' ? value : fallback;
}

export function stringListOption(options: unknown, name: string): string[] {
  const value = optionRecord(options)[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
