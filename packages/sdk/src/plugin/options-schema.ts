/**
 * Just enough JSON Schema → TypeScript to type a rule's `with:` options from the schema the rule
 * already declares, so plugin authors write the shape once. It covers what rule options use
 * (string, number, integer, boolean, enum/const, arrays, objects with `required` and `default`);
 * anything else becomes `unknown`, and an author can always pass the type explicitly instead.
 */

/** A JSON Schema object as a rule declares it (ajv validates it at registration). */
export type OptionsSchema = Readonly<Record<string, unknown>>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** Properties that are present after validation: required ones, and those ajv fills from `default`. */
type PresentKeys<Properties, Required> = {
  [K in keyof Properties]: K extends Required ? K : Properties[K] extends { default: unknown } ? K : never;
}[keyof Properties];

type ObjectType<Properties, Required> = Simplify<
  { [K in PresentKeys<Properties, Required>]: SchemaType<Properties[K]> } & {
    [K in Exclude<keyof Properties, PresentKeys<Properties, Required>>]?:
      | SchemaType<Properties[K]>
      | undefined;
  }
>;

/** The TypeScript type of the values a JSON Schema accepts (`unknown` where it cannot tell). */
export type SchemaType<S> = S extends { enum: readonly (infer E)[] }
  ? E
  : S extends { const: infer C }
    ? C
    : S extends { type: 'string' }
      ? string
      : S extends { type: 'number' | 'integer' }
        ? number
        : S extends { type: 'boolean' }
          ? boolean
          : S extends { type: 'array'; items: infer Items }
            ? SchemaType<Items>[]
            : S extends { type: 'array' }
              ? unknown[]
              : S extends { type: 'object'; properties: infer Properties }
                ? ObjectType<Properties, S extends { required: readonly (infer R)[] } ? R : never>
                : S extends { type: 'object' }
                  ? Record<string, unknown>
                  : unknown;
