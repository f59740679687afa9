/**
 * The page: four editors, evaluation on change (debounced) and on Evaluate, the results panels,
 * Share, examples and the theme. The engine runs in a worker (engine-client.ts); this file only
 * moves text and results between them.
 */
import examples from 'pullguard:examples';
import type { AdmissionView } from '../core/admission.js';
import type { EvaluationResult } from '../core/session.js';
import { decodeState, encodeState } from '../core/share.js';
import { type EditorName, EMPTY_STATE } from '../core/state.js';
import { byId, h } from './dom.js';
import { createEditors } from './editors.js';
import { startEngine } from './engine-client.js';
import {
  renderAdmission,
  renderExplain,
  renderFindings,
  renderProblems,
  renderVerdict,
  type Selection,
} from './render.js';
import { setUpTheme } from './theme.js';

const DEBOUNCE_MS = 300;

async function main(): Promise<void> {
  const status = byId('status');
  const docsBase =
    document.querySelector<HTMLMetaElement>('meta[name="pullguard-docs"]')?.content ?? '../docs/';
  byId<HTMLAnchorElement>('docs-link').href = `${docsBase}playground.md`;
  setUpTheme(byId<HTMLButtonElement>('theme'));

  let timer: ReturnType<typeof setTimeout> | undefined;
  const editors = createEditors(
    (name) => byId(`editor-${name}`),
    () => {
      clearTimeout(timer);
      timer = setTimeout(() => void evaluate(), DEBOUNCE_MS);
    },
  );
  const engine = await startEngine('engine.js').catch((error: Error) => {
    fail(`The engine could not start: ${error.message}`);
    throw error;
  });

  let last: EvaluationResult | undefined;
  let selection: Selection | undefined;
  let generation = 0;

  const actions = {
    reveal: (editor: EditorName, line: number, column?: number) => editors.reveal(editor, line, column),
    select: (next: Selection) => {
      selection = next;
      void showSelection(generation);
    },
  };

  async function evaluate(): Promise<void> {
    clearTimeout(timer);
    const mine = ++generation;
    status.textContent = 'Evaluating…';
    const started = performance.now();
    let result: EvaluationResult;
    try {
      result = await engine.ask({ kind: 'evaluate', state: editors.state() });
    } catch (error) {
      if (mine === generation) fail(`The evaluation failed: ${(error as Error).message}`);
      return;
    }
    // A later change started another evaluation: this result is already stale.
    if (mine !== generation) return;
    last = result;
    editors.mark(result.problems);
    renderVerdict(byId('verdict'), result);
    renderProblems(byId('problems'), result.problems, actions);
    renderFindings(byId('findings'), result, docsBase, actions);
    // The selection survives an edit while its workload still runs its image; else the first image.
    const kept = result.workloads.find(
      (w) => w.objectIndex === selection?.objectIndex && w.images.some((i) => i.raw === selection?.image),
    );
    const first = result.workloads[0];
    selection = kept
      ? selection
      : first && { objectIndex: first.objectIndex, image: first.images[0]?.raw ?? '' };
    await showSelection(mine);
    status.textContent = `Evaluated in ${Math.round(performance.now() - started)} ms (${engine.where === 'worker' ? 'in a worker' : 'on the page'}), nothing sent.`;
  }

  async function showSelection(mine: number): Promise<void> {
    const current = selection;
    let admission: AdmissionView | undefined;
    if (current !== undefined && last !== undefined)
      admission = await engine.ask({ kind: 'admission', objectIndex: current.objectIndex });
    const explained = current?.image
      ? await engine.ask({ kind: 'explain', image: current.image })
      : undefined;
    if (mine !== generation) return;
    renderAdmission(
      byId('admission'),
      last?.workloads ?? [],
      current?.objectIndex,
      admission,
      (objectIndex) => {
        const workload = last?.workloads.find((w) => w.objectIndex === objectIndex);
        actions.select({ objectIndex, image: workload?.images[0]?.raw ?? '' });
      },
    );
    renderExplain(byId('explain'), current?.image || undefined, explained);
  }

  function fail(message: string): void {
    status.textContent = message;
    byId('verdict').replaceChildren(h('strong', {}, message));
    byId('verdict').className = 'verdict error';
  }

  setUpExamples(byId<HTMLSelectElement>('examples'), (state) => {
    editors.load(state);
    void evaluate();
  });
  setUpShare(() => encodeState(editors.state()));
  byId<HTMLButtonElement>('evaluate').onclick = () => void evaluate();

  const open = () => {
    try {
      const shared = decodeState(location.hash);
      editors.load(shared ?? { ...EMPTY_STATE, ...examples[0]?.state });
    } catch (error) {
      editors.load({ ...EMPTY_STATE, ...examples[0]?.state });
      // Shown after the evaluation so that it is not overwritten.
      void evaluate().then(() => fail((error as Error).message));
      return;
    }
    void evaluate();
  };
  window.addEventListener('hashchange', open);
  open();
}

function setUpExamples(
  select: HTMLSelectElement,
  load: (state: (typeof examples)[number]['state']) => void,
): void {
  select.append(h('option', { value: '' }, 'Load an example…'));
  const groups = new Map<string, HTMLOptGroupElement>();
  examples.forEach((example, index) => {
    let group = groups.get(example.group);
    if (group === undefined) {
      group = h('optgroup', { label: example.group });
      groups.set(example.group, group);
      select.append(group);
    }
    group.append(h('option', { value: String(index) }, example.label));
  });
  select.onchange = () => {
    const example = examples[Number(select.value)];
    select.value = '';
    if (select.selectedIndex !== 0 && example === undefined) return;
    if (example !== undefined) load(example.state);
  };
}

function setUpShare(encode: () => string): void {
  const panel = byId('share-panel');
  const input = byId<HTMLInputElement>('share-link');
  byId<HTMLButtonElement>('share').onclick = () => {
    const fragment = encode();
    // replaceState: the page is not reloaded (and hashchange does not fire for it).
    history.replaceState(null, '', fragment);
    input.value = location.href;
    panel.hidden = false;
    input.focus();
    input.select();
  };
  byId<HTMLButtonElement>('copy').onclick = async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
      byId('status').textContent = 'Link copied.';
    } catch {
      byId('status').textContent =
        'Copy was refused by the browser: the link is selected, copy it with the keyboard.';
    }
  };
  byId<HTMLButtonElement>('share-close').onclick = () => {
    panel.hidden = true;
    byId('share').focus();
  };
}

void main();
