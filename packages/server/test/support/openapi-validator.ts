import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { loadOpenApiDocument } from '../../src/openapi-document.js';

/**
 * Validates requests and responses against the OpenAPI document (JSON Schema 2020-12 dialect,
 * ajv 8 + ajv-formats): the tests prove that the server answers what the document promises.
 */
export const openapi = loadOpenApiDocument() as {
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, ResponseObject>; schemas: Record<string, unknown> };
};

interface Operation {
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, ResponseObject | { $ref: string }>;
}
interface ResponseObject {
  content?: Record<string, { schema: unknown }>;
}

// OpenAPI keywords (paths, info…) are not JSON Schema keywords: strict mode off for the document.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(openapi, 'openapi');

function schemaAt(pointer: string) {
  const validate = ajv.getSchema(`openapi#${pointer}`);
  if (!validate) throw new Error(`no schema at ${pointer}`);
  return validate;
}

function escapeToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** The JSON pointer of a response's `application/json` schema, following `$ref`s to components. */
function responsePointer(path: string, method: string, status: number, contentType: string): string {
  const operation = openapi.paths[path]?.[method];
  if (!operation) throw new Error(`the OpenAPI document has no ${method.toUpperCase()} ${path}`);
  const response = operation.responses[String(status)];
  if (!response) throw new Error(`${method.toUpperCase()} ${path} documents no ${status} response`);
  if ('$ref' in response) {
    const name = response.$ref.split('/').pop()!;
    if (!openapi.components.responses[name]?.content?.[contentType])
      throw new Error(`no ${contentType} in ${name}`);
    return `/components/responses/${escapeToken(name)}/content/${escapeToken(contentType)}/schema`;
  }
  if (!response.content?.[contentType])
    throw new Error(`${method} ${path} ${status} has no ${contentType} content`);
  return `/paths/${escapeToken(path)}/${method}/responses/${status}/content/${escapeToken(contentType)}/schema`;
}

/** Asserts that a supertest response is documented: its path, method, status, content type and body. */
export function expectDocumentedResponse(
  path: string,
  res: { status: number; body: unknown; headers: Record<string, string>; text?: string },
): void {
  const method = (res as unknown as { req: { method: string } }).req.method.toLowerCase();
  const contentType = (res.headers['content-type'] ?? '').split(';')[0]!.trim();
  const validate = schemaAt(responsePointer(path, method, res.status, contentType));
  const body = contentType === 'application/json' ? res.body : res.text;
  const ok = validate(body);
  expect(ok ? [] : validate.errors, `response of ${method.toUpperCase()} ${path} (${res.status})`).toEqual(
    [],
  );
}

/** Asserts that a request body is what the document accepts (so tests send realistic requests). */
export function expectDocumentedRequest(
  path: string,
  method: string,
  body: unknown,
  contentType = 'application/json',
): void {
  const pointer = `/paths/${escapeToken(path)}/${method}/requestBody/content/${escapeToken(contentType)}/schema`;
  const validate = schemaAt(pointer);
  const ok = validate(body);
  expect(ok ? [] : validate.errors, `request to ${method.toUpperCase()} ${path}`).toEqual([]);
}

export function schema(name: string) {
  return schemaAt(`/components/schemas/${escapeToken(name)}`);
}
