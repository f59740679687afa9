/**
 * Registry fixtures as users write them: a file for `--registry-fixtures`, or a `registry:` map in
 * a policy test. The format is the engine's (`createFixtureResolver`, docs/registry.md#fixtures);
 * its JSON Schema (packages/cli/schemas/registry-fixtures.schema.json) checks the shapes, the
 * engine what only it knows (references, digests), each mistake at its file:line:column.
 */
import type { Diagnostic, RegistryFixtures } from '@pullguard/engine';
import {
  type PathSegment,
  parseUserDocument,
  registryFixtureProblems,
  type SchemaMessages,
  throwProblems,
  type UserDocument,
} from '@pullguard/engine/internals';
import { readUserFile } from '../config/read-user-file.js';
import { userFileCheck } from '../config/user-file-schemas.js';

/** The schema's answers in the words of the engine's own messages. */
export const FIXTURE_MESSAGES: SchemaMessages = (error) => {
  const schema = error.parentSchema;
  return error.keyword === 'pattern' && schema?.['title'] === 'registry fixture answer'
    ? `${JSON.stringify(error.data)} is not ${schema['description']}`
    : undefined;
};

/** The engine's problems with the fixtures at `path` of `document` (already schema-valid). */
export function fixtureProblems(document: UserDocument, path: readonly PathSegment[]): Diagnostic[] {
  const value = path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], document.value);
  return registryFixtureProblems(value).map((p) =>
    document.problem([...path, ...p.path], p.message, p.atKey),
  );
}

const FIXTURES_CHECK = userFileCheck('registry-fixtures', FIXTURE_MESSAGES);

export async function loadRegistryFixtures(file: string): Promise<RegistryFixtures> {
  const text = await readUserFile(file, 'CONFIG_INVALID', 'registry fixtures');
  const document = parseUserDocument(text, file, {
    code: 'CONFIG_INVALID',
    what: 'registry fixtures',
    check: FIXTURES_CHECK,
    empty: {},
  });
  throwProblems('registry fixtures', fixtureProblems(document, []));
  return document.value as RegistryFixtures;
}
