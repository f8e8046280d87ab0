import { formatFloatV } from '../../../go/float.js';
import { goQuote } from '../../../go/quote.js';

/**
 * A Rollout arg's `valueFrom.fieldRef.fieldPath` read from the Rollout (spec §5.3, Argo's
 * `BuildArgumentsForRolloutAnalysisRun`): a path starting with `metadata` uses Kubernetes'
 * downward-API syntax (`fieldpath.ExtractFieldPathAsString`); any other path is split on `.`, `[`
 * and `]` and walked through the Rollout's JSON, and must end in a primitive (Argo's
 * `extractValueFromRollout`).
 *
 *   metadata.name                      → "silly-demo"
 *   metadata.labels['env']             → "prod"   ("" when the label is absent)
 *   metadata.labels                    → app="silly-demo"\nenv="prod"
 *   spec.strategy.canary.steps[0].setWeight → "20"
 *   spec.replicas                      → "1e+06" for 1000000 (Go's %v of a float64)
 *   spec.template                      → error: must terminate in a primitive value
 */
export function extractRolloutFieldPath(
  rollout: unknown,
  fieldPath: string,
): { value: string } | { error: string } {
  if (fieldPath.startsWith('metadata')) return downwardApi(field(rollout, 'metadata'), fieldPath);
  return jsonPath(rollout, fieldPath);
}

function field(o: unknown, key: string): unknown {
  return isMap(o) && Object.hasOwn(o, key) ? o[key] : undefined;
}

function isMap(o: unknown): o is Record<string, unknown> {
  return o !== null && typeof o === 'object' && !Array.isArray(o);
}

function stringMap(o: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isMap(o)) for (const [k, v] of Object.entries(o)) if (typeof v === 'string') out[k] = v;
  return out;
}

// k8s.io/kubernetes/pkg/fieldpath.ExtractFieldPathAsString on the Rollout's metadata.
function downwardApi(metadata: unknown, fieldPath: string): { value: string } | { error: string } {
  const sub = splitMaybeSubscriptedPath(fieldPath);
  if (sub) {
    const [path, subscript] = sub;
    if (path === 'metadata.annotations') {
      const errs = qualifiedNameErrors(subscript.toLowerCase());
      if (errs.length > 0) return { error: `invalid key subscript in ${fieldPath}: ${errs.join(';')}` };
      return { value: stringMap(field(metadata, 'annotations'))[subscript] ?? '' };
    }
    if (path === 'metadata.labels') {
      const errs = qualifiedNameErrors(subscript);
      if (errs.length > 0) return { error: `invalid key subscript in ${fieldPath}: ${errs.join(';')}` };
      return { value: stringMap(field(metadata, 'labels'))[subscript] ?? '' };
    }
    return { error: `fieldPath ${goQuote(fieldPath)} does not support subscript` };
  }
  switch (fieldPath) {
    case 'metadata.annotations':
      return { value: formatMap(stringMap(field(metadata, 'annotations'))) };
    case 'metadata.labels':
      return { value: formatMap(stringMap(field(metadata, 'labels'))) };
    case 'metadata.name':
    case 'metadata.namespace':
    case 'metadata.uid': {
      const v = field(metadata, fieldPath.slice('metadata.'.length));
      return { value: typeof v === 'string' ? v : '' };
    }
  }
  return { error: `unsupported fieldPath: ${fieldPath}` };
}

/** `metadata.labels['k']` → [`metadata.labels`, `k`]; undefined when there is no subscript. */
function splitMaybeSubscriptedPath(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const s = fieldPath.slice(0, -2);
  const at = s.indexOf("['");
  if (at <= 0) return undefined;
  return [s.slice(0, at), s.slice(at + 2)];
}

/** The downward API's `key="value"` lines, sorted by key. */
function formatMap(m: Record<string, string>): string {
  return Object.keys(m)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${k}=${goQuote(m[k]!)}`)
    .join('\n');
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const QUALIFIED_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** Kubernetes' `validation.IsQualifiedName`: a label or annotation key. */
function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix === '') errs.push('prefix part must be non-empty');
    else {
      if (prefix.length > 253) errs.push('prefix part must be no more than 253 characters');
      if (!DNS1123_SUBDOMAIN.test(prefix)) errs.push(`prefix part ${DNS1123_SUBDOMAIN_MSG}`);
    }
  } else {
    return [
      `a qualified name ${QUALIFIED_NAME_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name === '') errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (!QUALIFIED_NAME.test(name)) errs.push(`name part ${QUALIFIED_NAME_MSG}`);
  return errs;
}

// Argo's extractValueFromRollout: sections split on runs of `.`, `[`, `]`.
function jsonPath(rollout: unknown, path: string): { value: string } | { error: string } {
  let m: unknown = rollout;
  for (const section of path.split(/[.[\]]+/)) {
    if (section === '') continue;
    if (Array.isArray(m)) {
      if (!/^[-+]?\d+$/.test(section)) return { error: `invalid index '${section}'` };
      const i = Number(section);
      if (i >= m.length || i < 0) return { error: `index ${i} out of range` };
      m = m[i] as unknown;
    } else if (isMap(m)) {
      m = Object.hasOwn(m, section) ? m[section] : undefined;
    } else {
      return { error: `invalid path ${path} in rollout` };
    }
  }
  if (m === undefined || m === null) return { error: `invalid path ${path} in rollout` };
  if (typeof m === 'object') return { error: `path ${path} in rollout must terminate in a primitive value` };
  if (typeof m === 'number') return { value: formatFloatV(m) };
  return { value: String(m) };
}
