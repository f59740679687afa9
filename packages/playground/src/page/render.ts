/** The results panels, drawn from an evaluation (all text set as text). */
import type { Finding } from '@pullguard/engine';
import type { AdmissionView } from '../core/admission.js';
import type { Problem } from '../core/problems.js';
import type { EvaluationResult, ExplainView } from '../core/session.js';
import { EDITORS, type EditorName } from '../core/state.js';
import type { WorkloadView } from '../core/workloads.js';
import { h } from './dom.js';

export interface Selection {
  objectIndex: number;
  image: string;
}

export interface RenderActions {
  reveal(editor: EditorName, line: number, column?: number): void;
  select(selection: Selection): void;
}

const title = (editor: EditorName | undefined) => EDITORS.find((e) => e.name === editor)?.title ?? 'Run';
const at = (line: number | undefined, column: number | undefined) =>
  line === undefined ? '' : `${line}:${column ?? 1}`;

export function renderVerdict(target: HTMLElement, result: EvaluationResult): void {
  const { check } = result;
  target.className = `verdict ${check.verdict}`;
  target.replaceChildren(
    h('strong', {}, `pullguard check exits ${check.exitCode}`),
    ` — ${check.verdict}: ${check.reason}`,
  );
}

export function renderProblems(
  target: HTMLElement,
  problems: readonly Problem[],
  actions: RenderActions,
): void {
  if (problems.length === 0) {
    target.replaceChildren(h('p', { class: 'empty' }, 'No errors or warnings.'));
    return;
  }
  target.replaceChildren(
    h(
      'ul',
      { class: 'problems' },
      ...problems.map((p) => {
        const where = `${title(p.editor)} ${at(p.line, p.column)}`.trim();
        const goto =
          p.editor !== undefined && p.line !== undefined
            ? h('button', { type: 'button', class: 'goto', 'aria-label': `Go to ${where}` }, where)
            : h('span', { class: 'goto' }, where);
        if (goto instanceof HTMLButtonElement)
          goto.onclick = () => actions.reveal(p.editor!, p.line!, p.column);
        return h(
          'li',
          { class: `problem ${p.severity}`, 'data-code': p.code },
          goto,
          h('span', { class: 'code' }, p.code),
          h('span', { class: 'message' }, p.message),
        );
      }),
    ),
  );
}

/** Findings per workload, container and image; every image listed, with or without findings. */
export function renderFindings(
  target: HTMLElement,
  result: EvaluationResult,
  docsBase: string,
  actions: RenderActions,
): void {
  const ruleIds = new Set(result.rules.map((r) => r.id));
  const byPlace = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const key = at(f.location?.line, f.location?.column);
    byPlace.set(key, [...(byPlace.get(key) ?? []), f]);
  }
  if (result.workloads.length === 0) {
    target.replaceChildren(h('p', { class: 'empty' }, 'No workloads in the Manifests editor.'));
    return;
  }
  target.replaceChildren(
    ...result.workloads.map((w) =>
      h(
        'section',
        { class: 'workload', 'aria-label': `${w.kind} ${w.name}` },
        h(
          'h3',
          {},
          `${w.kind}/${w.name}`,
          h('span', { class: 'dim' }, ` namespace ${w.namespace ?? 'default'}`),
        ),
        ...w.images.map((image) => {
          const findings = byPlace.get(at(image.line, image.column)) ?? [];
          const explain = h('button', { type: 'button', class: 'select' }, 'Explain');
          explain.onclick = () => actions.select({ objectIndex: w.objectIndex, image: image.raw });
          return h(
            'div',
            { class: 'image' },
            h(
              'h4',
              {},
              `${image.type === 'container' ? 'container' : image.type} ${image.container} `,
              h('code', {}, image.raw),
              h(
                'span',
                { class: 'dim' },
                ` pull ${image.pullPolicy}${image.explicit ? '' : ', defaulted'} · line ${at(image.line, image.column)} `,
              ),
              explain,
            ),
            findings.length === 0
              ? h('p', { class: 'empty' }, 'No findings.')
              : h(
                  'ul',
                  { class: 'findings' },
                  ...findings.map((f) => findingItem(f, w, docsBase, ruleIds, actions)),
                ),
          );
        }),
      ),
    ),
  );
}

function findingItem(
  f: Finding,
  w: WorkloadView,
  docsBase: string,
  ruleIds: ReadonlySet<string>,
  actions: RenderActions,
): HTMLElement {
  const line = f.location?.line;
  const goto = h(
    'button',
    { type: 'button', class: 'goto', 'aria-label': `${f.rule} at line ${line ?? '?'}` },
    `line ${at(line, f.location?.column)}`,
  );
  goto.onclick = () => {
    if (line !== undefined) actions.reveal('manifests', line, f.location?.column);
    actions.select({ objectIndex: w.objectIndex, image: f.image.raw });
  };
  const exemption = f.exemption;
  return h(
    'li',
    {
      class: `finding ${f.action}${exemption?.status === 'active' ? ' exempted' : ''}`,
      'data-rule': f.rule,
      'data-line': String(line ?? ''),
    },
    goto,
    h('span', { class: `action ${f.action}` }, f.action),
    h(
      'a',
      {
        class: 'rule',
        href: ruleDocs(docsBase, f.rule, ruleIds),
        target: '_blank',
        rel: 'noopener noreferrer',
      },
      f.rule,
    ),
    h('span', { class: 'dim' }, ` policy ${f.policy}${f.status === 'error' ? ' (rule error)' : ''}`),
    h('p', { class: 'message' }, f.message),
    f.hint !== undefined && h('p', { class: 'hint' }, `Fix: ${f.hint}`),
    exemption !== undefined &&
      h(
        'p',
        { class: 'exemption' },
        `Exemption ${exemption.status}${exemption.expires ? ` until ${exemption.expires}` : ''}${exemption.owner ? `, owner ${exemption.owner}` : ''}${exemption.reason ? `: ${exemption.reason}` : ''}`,
      ),
  );
}

/**
 * The rule's section of docs/policies.md (docs/playground.md#rule-links): built-in rules have a
 * heading named as their id; `expression` instances are named by their own id and documented
 * under JSON Logic facts.
 */
export function ruleDocs(docsBase: string, rule: string, ruleIds: ReadonlySet<string>): string {
  const anchor = ruleIds.has(rule) && rule !== 'expression' ? rule : 'json-logic-facts';
  return `${docsBase}policies.md#${anchor}`;
}

export function renderAdmission(
  target: HTMLElement,
  workloads: readonly WorkloadView[],
  selected: number | undefined,
  view: AdmissionView | undefined,
  onPick: (objectIndex: number) => void,
): void {
  if (workloads.length === 0 || view === undefined) {
    target.replaceChildren(
      h('p', { class: 'empty' }, 'No workload to admit (or the policies did not load).'),
    );
    return;
  }
  const picker = h('select', { 'aria-label': 'Workload admitted' });
  for (const w of workloads) {
    const option = h('option', { value: String(w.objectIndex) }, `${w.kind}/${w.name}`);
    option.selected = w.objectIndex === selected;
    picker.append(option);
  }
  picker.onchange = () => onPick(Number(picker.value));
  const { mutate, validate } = view;
  target.replaceChildren(
    h('p', {}, 'CREATE of ', h('strong', {}, view.subject), ' ', picker),
    h('h3', {}, 'Mutating webhook'),
    mutate.operations.length === 0
      ? h('p', { class: 'dim' }, 'allowed, no patch')
      : h('pre', { class: 'patch', 'aria-label': 'JSONPatch' }, JSON.stringify(mutate.operations, null, 2)),
    warningsList(mutate.response.warnings) ?? '',
    h('h3', {}, 'Validating webhook (after the patch)'),
    h(
      'p',
      { class: `allowed ${validate.allowed ? 'yes' : 'no'}` },
      validate.allowed
        ? 'allowed'
        : `denied (${validate.status?.code ?? ''} ${validate.status?.reason ?? ''})`,
    ),
    validate.status?.message !== undefined ? h('pre', { class: 'denial' }, validate.status.message) : '',
    warningsList(validate.warnings) ?? '',
  );
}

function warningsList(warnings: readonly string[] | undefined): HTMLElement | undefined {
  if (warnings === undefined || warnings.length === 0) return undefined;
  return h('ul', { class: 'warnings', 'aria-label': 'Warnings' }, ...warnings.map((w) => h('li', {}, w)));
}

export function renderExplain(
  target: HTMLElement,
  image: string | undefined,
  view: ExplainView | undefined,
): void {
  if (image === undefined || view === undefined) {
    target.replaceChildren(h('p', { class: 'empty' }, 'Select an image (Explain) or a finding.'));
    return;
  }
  if (!view.ok) {
    target.replaceChildren(
      h('p', { class: 'problem error' }, h('span', { class: 'code' }, view.code), ` ${view.message}`),
    );
    return;
  }
  const e = view.explanation;
  const r = e.reference;
  const rows: [string, string][] = [
    ['image', e.input],
    ['canonical', e.canonical],
    ['registry', r.domain],
    ['repository', r.path],
    ['tag', r.tag ?? (r.digest === undefined ? '(none: latest is implied)' : '(none)')],
    ['digest', r.digest ?? '(none: the reference is mutable)'],
  ];
  target.replaceChildren(
    h('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, h('code', {}, v))])),
    h('p', {}, h('strong', {}, `Default imagePullPolicy: ${e.default.policy}`), ` — ${e.default.reason}.`),
    ...e.policies.map((p) =>
      h(
        'p',
        {},
        h('strong', {}, `${p.policy}${p.policy === e.default.policy ? ' (the default)' : ''}`),
        `: pulls ${p.pulls}. ${p.meaning}`,
      ),
    ),
    h('p', { class: 'hint' }, `Recommendation: ${e.recommendation}`),
  );
}
