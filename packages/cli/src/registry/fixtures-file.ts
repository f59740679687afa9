/**
 * Registry fixtures as users write them: a file for `--registry-fixtures`, or a `registry:` map in
 * a policy test. The format is the engine's (`createFixtureResolver`, docs/registry.md#fixtures);
 * this only reads it with positions, so a mistake says file:line:column.
 */
import { readFile } from 'node:fs/promises';
import { PullguardError, type RegistryFixtures, registryFixtureProblems } from '@pullguard/engine';
import { type FieldPath, type LocatedYaml, parseLocatedYaml } from '../config/located-yaml.js';

/** `value` (at `path` of `src`) as fixtures; the first mistake fails with its position. */
export function readRegistryFixtures(src: LocatedYaml, value: unknown, path: FieldPath): RegistryFixtures {
  const [problem] = registryFixtureProblems(value);
  if (problem !== undefined)
    src.fail([...path, ...problem.path], problem.message, problem.atKey ? 'key' : 'value');
  return value as RegistryFixtures;
}

export async function loadRegistryFixtures(file: string): Promise<RegistryFixtures> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new PullguardError(
      'CONFIG_INVALID',
      `cannot read the registry fixtures: ${(error as Error).message}`,
      {
        location: { file, line: 1, column: 1 },
      },
    );
  }
  const src = parseLocatedYaml(text, file, 'CONFIG_INVALID');
  return readRegistryFixtures(src, src.value ?? {}, []);
}
