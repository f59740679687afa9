/**
 * The request bodies' JSON Schemas, derived from the one source, the OpenAPI document (its
 * `components.schemas`), and checked with the engine's ajv setup — the same checks, sentences and
 * locations policy files get. A body that does not match is a 400 INVALID_REQUEST naming the
 * field (and its line and column in the body).
 */
import {
  compileSchemaCheck,
  type LocatedSchemaProblem,
  type SchemaCheck,
  type SchemaMessages,
} from '@pullguard/engine/internals';
import { HttpError } from './http-error.js';

const COMPONENT_REF = '#/components/schemas/';

/** `components.schemas[name]` as a self-contained schema: the components it uses become its `$defs`. */
export function componentSchema(
  openapi: Readonly<Record<string, unknown>>,
  name: string,
): Record<string, unknown> {
  const components = ((openapi['components'] as Record<string, unknown> | undefined)?.['schemas'] ??
    {}) as Record<string, unknown>;
  const defs: Record<string, unknown> = {};
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(COMPONENT_REF)) {
        const target = value.slice(COMPONENT_REF.length);
        include(target);
        out[key] = `#/$defs/${target}`;
      } else {
        out[key] = rewrite(value);
      }
    }
    return out;
  };
  const include = (component: string) => {
    if (Object.hasOwn(defs, component)) return;
    if (!Object.hasOwn(components, component))
      throw new Error(`the OpenAPI document has no schema ${component}`);
    defs[component] = {}; // placeholder: a component that refers to itself is not included twice
    defs[component] = rewrite(components[component]);
  };
  include(name);
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', $ref: `#/$defs/${name}`, $defs: defs };
}

/** Sentences for the mistakes callers make. */
const MESSAGES: SchemaMessages = (error, path) => {
  if (path.length === 1 && path[0] === 'apiVersion' && error.keyword === 'const') {
    return `expected apiVersion "admission.k8s.io/v1", got ${JSON.stringify(error.data ?? null)}; set admissionReviewVersions: ["v1"] in the webhook configuration`;
  }
  if (path.length === 0 && error.keyword === 'oneOf') {
    return 'send exactly one of `objects` (JSON objects) and `manifests` (YAML or JSON text)';
  }
  if (
    error.keyword === 'required' &&
    (error.params as { missingProperty?: string }).missingProperty === 'object'
  ) {
    return 'request.object is missing (every operation but DELETE carries the object)';
  }
  return undefined;
};

export interface RequestChecks {
  admissionReview: SchemaCheck;
  evaluate: SchemaCheck;
}

export function requestChecks(openapi: Readonly<Record<string, unknown>>): RequestChecks {
  return {
    admissionReview: compileSchemaCheck(componentSchema(openapi, 'AdmissionReviewRequest'), {
      messages: MESSAGES,
    }),
    evaluate: compileSchemaCheck(componentSchema(openapi, 'EvaluateRequest'), { messages: MESSAGES }),
  };
}

/** Throws INVALID_REQUEST for the problems of a body (the first one named and located; all listed). */
export function checkBody(
  check: SchemaCheck,
  body: unknown,
  text: (() => string | undefined) | undefined,
): void {
  const first = check(body);
  if (first.length === 0) return;
  // Located only now: finding lines and columns parses the text again, which only errors pay for.
  const problems = text === undefined ? first : check(body, text());
  throw invalidBody(problems);
}

function invalidBody(problems: readonly LocatedSchemaProblem[]): HttpError {
  const [first] = problems as [LocatedSchemaProblem, ...LocatedSchemaProblem[]];
  const say = (p: LocatedSchemaProblem) => (p.field === '' ? p.message : `${p.field}: ${p.message}`);
  const more = problems.length > 1 ? `; ${problems.slice(1).map(say).join('; ')}` : '';
  return new HttpError('INVALID_REQUEST', `${say(first)}${more}`, {
    ...(first.field === '' ? {} : { field: first.field }),
    location: first.location,
  });
}
