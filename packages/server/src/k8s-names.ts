import { HttpError } from './http/http-error.js';

// Kubernetes name rules (k8s.io/apimachinery pkg/util/validation/validation.go, v0.34).
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A namespace name: an RFC 1123 label (IsDNS1123Label), at most 63 characters. */
export function isNamespaceName(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && DNS_LABEL.test(value);
}

/**
 * `k=v,k2=v2` → labels, checked like Kubernetes label keys and values
 * (apimachinery pkg/util/validation IsQualifiedName / IsValidLabelValue). `` → no labels.
 */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  if (text.trim() === '') return labels;
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    const key = (eq === -1 ? pair : pair.slice(0, eq)).trim();
    const value = eq === -1 ? undefined : pair.slice(eq + 1).trim();
    if (
      value === undefined ||
      !isLabelKey(key) ||
      (value !== '' && (value.length > 63 || !LABEL_NAME.test(value)))
    ) {
      throw new HttpError('INVALID_REQUEST', `"${pair}" is not a label (expected key=value, e.g. env=prod)`, {
        field: 'labels',
      });
    }
    labels[key] = value;
  }
  return labels;
}

function isLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  const name = slash === -1 ? key : key.slice(slash + 1);
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}
