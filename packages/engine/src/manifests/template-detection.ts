/**
 * Unrendered Helm/Go templates. `replicas: {{ .Values.replicas }}` is not a syntax error to every
 * YAML parser (`{{…}}` reads as a flow mapping used as a key), and a Go template inside a quoted
 * string or a ConfigMap's block scalar is legitimate data (Istio's injection templates), so a
 * document counts as a template only when it fails to parse or decodes a mapping used as a key
 * — something no Kubernetes object has — and its text holds a `{{` outside comments.
 */

export const TEMPLATE_HINT =
  'unrendered template: render it with helm template (or your templating tool) first';

/**
 * Offset of the `{{` to blame for a problem at `near`: the last one (outside comments) before the
 * end of `near`'s line, else the first one after it; -1 when the text has none.
 */
export function findTemplateAction(text: string, near = 0): number {
  const nearEol = text.indexOf('\n', near);
  const limit = nearEol < 0 ? text.length : nearEol;
  let found = -1;
  for (let i = text.indexOf('{{'); i >= 0; i = text.indexOf('{{', i + 2)) {
    if (isInComment(text, i)) continue;
    if (i >= limit) return found >= 0 ? found : i;
    found = i;
  }
  return found;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** A `#` at the start of the line or after a blank, before `offset` on the same line. */
function isInComment(text: string, offset: number): boolean {
  const start = lineStart(text, offset);
  for (let i = start; i < offset; i++) {
    if (text.charCodeAt(i) === 0x23 && (i === start || /\s/.test(text[i - 1]!))) return true;
  }
  return false;
}
