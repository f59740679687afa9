/**
 * The four editors (CodeMirror 6): YAML highlighting, problems marked where they are (line and
 * column underlined, a gutter marker, the message on hover), and a highlighted line for the
 * finding last clicked. Tab is left to the page (no indentWithTab) so the keyboard can leave an editor.
 */
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { EditorState, StateEffect, StateField } from '@codemirror/state';
import {
  Decoration,
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { classHighlighter } from '@lezer/highlight';
import type { Problem } from '../core/problems.js';
import { EDITORS, type EditorName, EMPTY_STATE, type PlaygroundState } from '../core/state.js';

const highlightLine = StateEffect.define<number | undefined>();

/** The line of the last finding clicked, highlighted until the text changes. */
const highlighted = StateField.define({
  create: () => Decoration.none,
  update(decorations, tr) {
    let next = decorations.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(highlightLine)) continue;
      next =
        effect.value === undefined
          ? Decoration.none
          : Decoration.set([
              Decoration.line({ class: 'pg-highlight' }).range(tr.state.doc.line(effect.value).from),
            ]);
    }
    return tr.docChanged ? Decoration.none : next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export interface Editors {
  views: Record<EditorName, EditorView>;
  state(): PlaygroundState;
  load(state: Partial<PlaygroundState>): void;
  mark(problems: readonly Problem[]): void;
  /** Moves the cursor to `line` (and `column`) of an editor, scrolls there, highlights the line, focuses it. */
  reveal(editor: EditorName, line: number, column?: number): void;
}

export function createEditors(host: (name: EditorName) => HTMLElement, onChange: () => void): Editors {
  const views = {} as Record<EditorName, EditorView>;
  for (const { name, title } of EDITORS) {
    views[name] = new EditorView({
      parent: host(name),
      state: EditorState.create({
        doc: '',
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          drawSelection(),
          history(),
          bracketMatching(),
          yaml(),
          syntaxHighlighting(classHighlighter),
          lintGutter(),
          highlighted,
          keymap.of([...defaultKeymap, ...historyKeymap]),
          EditorView.contentAttributes.of({ 'aria-label': title }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) onChange();
          }),
        ],
      }),
    });
  }
  return {
    views,
    state() {
      const state = { ...EMPTY_STATE };
      for (const { name } of EDITORS) state[name] = views[name].state.doc.toString();
      return state;
    },
    load(state) {
      for (const { name } of EDITORS) {
        const text = state[name];
        if (text === undefined) continue;
        const view = views[name];
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      }
    },
    mark(problems) {
      for (const { name } of EDITORS) {
        const view = views[name];
        const diagnostics = problems.filter((p) => p.editor === name).map((p) => toDiagnostic(view, p));
        view.dispatch(setDiagnostics(view.state, diagnostics));
      }
    },
    reveal(editor, line, column = 1) {
      const view = views[editor];
      const target = view.state.doc.line(Math.min(Math.max(line, 1), view.state.doc.lines));
      const anchor = Math.min(target.from + Math.max(column - 1, 0), target.to);
      view.dispatch({
        selection: { anchor },
        effects: [highlightLine.of(target.number), EditorView.scrollIntoView(anchor, { y: 'center' })],
      });
      view.focus();
    },
  };
}

/** A problem as a CodeMirror diagnostic: from its line:column to the end of the token there (or the line). */
function toDiagnostic(view: EditorView, p: Problem): Diagnostic {
  const doc = view.state.doc;
  const line = doc.line(Math.min(Math.max(p.line ?? 1, 1), doc.lines));
  const from = Math.min(line.from + Math.max((p.column ?? 1) - 1, 0), line.to);
  const token = /^\S+/.exec(doc.sliceString(from, line.to))?.[0].length ?? 0;
  return {
    from,
    to: token > 0 ? from + token : line.to,
    severity: p.severity,
    message: `${p.code} ${p.message}`,
  };
}
