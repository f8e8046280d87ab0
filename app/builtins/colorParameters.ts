import { parseGoJson, type GoJsonNode } from './goJsonDecode.js';

/**
 * One entry of the body rollouts-demo's page POSTs to `/color` (main.go's `colorParameters`):
 * for `color`, a delay in seconds and a 500 probability in percent.
 */
export interface ColorParameters {
  color: string;
  /** float64; 0 when absent. */
  delayLength: number;
  /** `*int`: undefined when absent or null. */
  return500?: bigint;
}

const SLICE_TYPE = '[]main.colorParameters';
const STRUCT_TYPE = 'main.colorParameters';
const INT64_MAX = 0x7fffffffffffffffn;
const INT64_MIN = -0x8000000000000000n;

/** The struct's fields by JSON name, with the Go type errors name. */
const FIELDS = { color: 'string', delaylength: 'float64', return500: 'int' } as const;
type FieldKey = keyof typeof FIELDS;
const JSON_NAMES: Readonly<Record<FieldKey, string>> = {
  color: 'color',
  delaylength: 'delayLength',
  return500: 'return500',
};

/**
 * `json.Unmarshal(body, &[]colorParameters)` as rollouts-demo runs it: the entries, or the error
 * text Go gives — a syntax error, or the first type error (`json: cannot unmarshal object into Go
 * value of type []main.colorParameters`). Keys match fields case-insensitively, unknown keys are
 * ignored, `null` leaves a field as it was, and later duplicates win, as in Go.
 */
export function decodeColorParameters(body: string): { entries: ColorParameters[] } | { error: string } {
  const parsed = parseGoJson(body);
  if ('error' in parsed) return parsed;
  const root = parsed.value;
  if (root.kind === 'null') return { entries: [] };
  if (root.kind !== 'array') return { error: typeError(kindName(root), SLICE_TYPE) };
  let firstError: string | undefined;
  const entries: ColorParameters[] = [];
  for (const item of root.items) {
    const entry: ColorParameters = { color: '', delayLength: 0 };
    entries.push(entry);
    if (item.kind === 'null') continue;
    if (item.kind !== 'object') {
      firstError ??= typeError(kindName(item), STRUCT_TYPE);
      continue;
    }
    for (const [key, value] of item.entries) {
      const field = fieldFor(key);
      if (field === undefined || value.kind === 'null') {
        // A null pointer field is reset; null leaves other fields as they were.
        if (field === 'return500') entry.return500 = undefined;
        continue;
      }
      const err = assign(entry, field, value);
      if (err !== undefined) firstError ??= err;
    }
  }
  return firstError !== undefined ? { error: firstError } : { entries };
}

function fieldFor(key: string): FieldKey | undefined {
  const k = key.toLowerCase();
  return k in FIELDS ? (k as FieldKey) : undefined;
}

function assign(entry: ColorParameters, field: FieldKey, v: GoJsonNode): string | undefined {
  const wrong = () => fieldError(kindName(v), field);
  if (field === 'color') {
    if (v.kind !== 'string') return wrong();
    entry.color = v.value;
    return undefined;
  }
  if (v.kind !== 'number') return wrong();
  if (field === 'delaylength') {
    const f = Number(v.text);
    if (!Number.isFinite(f)) return fieldError(`number ${v.text}`, field);
    entry.delayLength = f;
    return undefined;
  }
  // strconv.ParseInt(text, 10, 64): a fraction or an exponent is not an int.
  const n = /^-?\d+$/.test(v.text) ? BigInt(v.text) : undefined;
  if (n === undefined || n > INT64_MAX || n < INT64_MIN) return fieldError(`number ${v.text}`, field);
  entry.return500 = n;
  return undefined;
}

function kindName(n: GoJsonNode): string {
  return n.kind;
}

function typeError(value: string, type: string): string {
  return `json: cannot unmarshal ${value} into Go value of type ${type}`;
}

function fieldError(value: string, field: FieldKey): string {
  return `json: cannot unmarshal ${value} into Go struct field colorParameters.${JSON_NAMES[field]} of type ${FIELDS[field]}`;
}
