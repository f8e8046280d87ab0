/**
 * A series' identity: label name → value, `__name__` included. Values are never empty: Prometheus
 * treats `l=""` as "no label l", so such pairs are dropped at ingest.
 */
export type LabelSet = Readonly<Record<string, string>>;

/**
 * The label set with empty values dropped and names in byte order, frozen. Insertion order is the
 * sorted order, so printing and `Object.keys` come out the way Prometheus lists labels.
 */
export function normalizeLabels(labels: Record<string, string>): LabelSet {
  const names = Object.keys(labels)
    .filter((n) => labels[n] !== '' && labels[n] !== undefined)
    .sort(compareStrings);
  const out: Record<string, string> = {};
  for (const n of names) out[n] = labels[n]!;
  return Object.freeze(out);
}

/**
 * A string that is equal for equal label sets and sorts like Prometheus's `labels.Compare`
 * (name, then value, label by label; a prefix sorts first). NUL separators keep `{a="x"}` before
 * `{ab="x"}`; label text never contains NUL in practice.
 */
export function labelSetKey(sorted: LabelSet): string {
  let key = '';
  for (const n in sorted) key += `${n}\u0000${sorted[n]}\u0000`;
  return key;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
