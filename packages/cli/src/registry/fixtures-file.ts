/**
 * Registry fixtures as users write them: a file for `--registry-fixtures`, or a `registry:` map in
 * a policy test. The format is the engine's (`createFixtureResolver`, docs/registry.md#fixtures);
 * this only reads it with positions, so a mistake says file:line:column.
 */
import { type RegistryFixtures, registryFixtureProblems } from '@pullguard/engine';
import { type FieldPath, type LocatedYaml, parseLocatedYaml } from '../config/located-yaml.js';
import { readUserFile } from '../config/read-user-file.js';

/** `value` (at `path` of `src`) as fixtures; the first mistake fails with its position. */
export function readRegistryFixtures(src: LocatedYaml, value: unknown, path: FieldPath): RegistryFixtures {
  const [problem] = registryFixtureProblems(value);
  if (problem !== undefined)
    src.fail([...path, ...problem.path], problem.message, problem.atKey ? 'key' : 'value');
  return value as RegistryFixtures;
}

export async function loadRegistryFixtures(file: string): Promise<RegistryFixtures> {
  const text = await readUserFile(file, 'CONFIG_INVALID', 'registry fixtures');
  const src = parseLocatedYaml(text, file, 'CONFIG_INVALID');
  return readRegistryFixtures(src, src.value ?? {}, []);
}
