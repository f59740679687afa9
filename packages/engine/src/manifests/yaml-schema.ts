/**
 * The YAML schema manifests are read with: the YAML 1.2 core schema (what `1.20`, `yes`, `0755`
 * mean) plus `<<` merge keys, which Kubernetes' go-yaml decoder honours. No timestamp type:
 * go-yaml decodes dates into interface{} as strings (sigs.k8s.io/yaml → JSON), so `2024-01-01`
 * must stay a string here too.
 */
import * as jsYaml from 'js-yaml';
import { FAILSAFE_SCHEMA, type Schema, Type } from 'js-yaml';

// (@types/js-yaml does not declare the `types` export.)
const {
  null: nullType,
  bool,
  int,
  float,
  merge,
} = (jsYaml as unknown as { types: Record<'null' | 'bool' | 'int' | 'float' | 'merge', Type> }).types;

/**
 * Characters a plain scalar may start with and be something other than a string under this
 * schema: null (`~`, `null`/`Null`/`NULL`), booleans (`true`/`True`/`TRUE`, `false`/…), integers
 * and floats (a sign, a digit, `.` for `.5`, `.inf`, `.nan`) and the merge key `<<` — the first
 * characters js-yaml 4's core resolvers accept (js-yaml/lib/type/{null,bool,int,float}.js,
 * merge.js).
 */
const MAY_BE_OTHER_THAN_STRING = new Set('~nNtTfF+-.0123456789<'.split('').map((c) => c.charCodeAt(0)));

/**
 * Tried before the others: a plain scalar starting with any other character is a string, said
 * with one test where each core resolver would examine it in turn (the float one with a regular
 * expression). Most keys and values of a manifest (`metadata`, `containers`, `app`, `nginx:1.27`)
 * are such strings, and every plain scalar is resolved. It changes no result (yaml-schema.test.ts
 * compares this schema with the plain one).
 */
const certainString = new Type('tag:yaml.org,2002:str', {
  kind: 'scalar',
  resolve: (data: unknown) =>
    typeof data === 'string' && data.length > 0 && !MAY_BE_OTHER_THAN_STRING.has(data.charCodeAt(0)),
  construct: (data: string) => data,
});

export const KUBERNETES_SCHEMA: Schema = FAILSAFE_SCHEMA.extend({
  implicit: [certainString, nullType, bool, int, float, merge],
});
