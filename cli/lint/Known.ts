import type { ManifestObject } from '../../sim/manifests/index.js';

/**
 * The objects a check can resolve references against, by kind/namespace/name: what the scenario
 * timeline has applied so far, or every input of `lint`. `missing` words the hint of a
 * not-found message for that setting.
 */
export interface Known {
  objects: ReadonlyMap<string, ManifestObject>;
  missing: 'timeline' | 'inputs';
}

/** The key of an object: cluster-scoped kinds have no namespace. */
export const objectKey = (kind: string, ns: string | undefined, name: string): string =>
  `${kind}/${ns ?? ''}/${name}`;

export function lookup<S>(
  known: Known,
  kind: string,
  ns: string | undefined,
  name: string,
): ManifestObject<string, S> | undefined {
  return known.objects.get(objectKey(kind, ns, name)) as ManifestObject<string, S> | undefined;
}

/** Names of the objects of `kind` (in `ns`, for namespaced kinds). */
export function namesOf(known: Known, kind: string, ns: string | undefined): string[] {
  const prefix = objectKey(kind, ns, '');
  return [...known.objects.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
}

/** Levenshtein distance, for "did you mean" and for telling a typo from another name. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** ` (did you mean "x"?)` when one candidate is within two edits (or a third of the length), else "". */
export function didYouMean(name: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  if (best === undefined || bestD === 0 || bestD > Math.max(2, Math.floor(name.length / 3))) return '';
  return ` (did you mean ${JSON.stringify(best)}?)`;
}
