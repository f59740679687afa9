import type { Diagnostic } from '@pullguard/engine';
import { type EditorName, editorOfFile } from './state.js';

/** A diagnostic placed in the editor it is about (undefined: about the whole run). */
export interface Problem {
  editor: EditorName | undefined;
  code: string;
  message: string;
  severity: 'error' | 'warning';
  line: number | undefined;
  column: number | undefined;
  field: string | undefined;
}

export function toProblem(d: Diagnostic, fallback?: EditorName): Problem {
  return {
    editor: editorOfFile(d.location?.file) ?? fallback,
    code: d.code,
    message: d.message,
    severity: d.severity,
    line: d.location?.line,
    column: d.location?.column,
    field: d.field,
  };
}

export const isError = (p: Problem) => p.severity === 'error';
