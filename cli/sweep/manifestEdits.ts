import { parseAllDocuments } from 'yaml';
import { InputError, quote } from '../../sim/errors.js';
import {
  isKustomizationFile,
  joinPath,
  kustomizeBuild,
  loadManifestFile,
  OverlayFileSystem,
  parseYamlFile,
  type FileSystem,
  type ManifestObject,
  type Path,
} from '../../sim/manifests/index.js';
import type { Scenario } from '../scenario/types.js';
import { replaceThreshold } from '../lint/conditionThreshold.js';
import type { SnapshotFileSystem } from './SnapshotFileSystem.js';

/** A field of a manifest the scenario applies, set for one cell of a sweep (`--vary Kind/name:path=…`). */
export interface ManifestEdit {
  objectKind: string;
  name: string;
  path: Path;
  value: unknown;
  /** `--vary KEY=VALUE`, as messages name it. */
  flag: string;
}

/** A document of a manifest file: the file's path (in the file system) and its index there. */
interface Source {
  path: string;
  index: number;
}

/** `spec.metrics[0].successCondition`: a path as messages print it. */
export function showPath(path: Path): string {
  return path
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i > 0 ? '.' : ''}${s}`))
    .join('')
    .replace(/^\./, '');
}

/** What every `apply` of the timeline builds, on `fs`, in order: validates each object, as the run will. */
export function buildApplied(scenario: Scenario, fs: FileSystem): ManifestObject[] {
  const out: ManifestObject[] = [];
  for (const a of scenario.timeline) {
    if (a.type !== 'apply') continue;
    if (a.kustomize !== undefined) out.push(...kustomizeBuild(fs, joinPath(scenario.dir, a.kustomize)));
    else out.push(...loadManifestFile(fs, joinPath(scenario.dir, a.file!)));
  }
  return out;
}

/** The documents of the manifest files the scenario applies, by `Kind/name`. */
function sources(scenario: Scenario, snap: SnapshotFileSystem): Map<string, Source[]> {
  buildApplied(scenario, new OverlayFileSystem(snap));
  const out = new Map<string, Source[]>();
  for (const path of snap.reads) {
    const text = snap.read(path);
    if (text === undefined || isKustomizationFile(snap, path)) continue;
    let docs;
    try {
      docs = parseYamlFile(snap.display(path), text);
    } catch {
      continue; // the scenario file itself, or another file that is no manifest: nothing to edit
    }
    for (const d of docs) {
      const v = d.doc.toJS() as { kind?: unknown; metadata?: { name?: unknown } } | null;
      if (!v || typeof v.kind !== 'string' || typeof v.metadata?.name !== 'string') continue;
      const k = `${v.kind}/${v.metadata.name}`;
      out.set(k, [...(out.get(k) ?? []), { path, index: d.index }]);
    }
  }
  return out;
}

/** Sets `path` to `value` in a JS value, as `--set` does; a string saying why when it cannot. */
function reach(root: unknown, path: Path): { parent: unknown; last: string | number } | string {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    const here = showPath(path.slice(0, i + 1));
    if (typeof seg === 'number') {
      if (!Array.isArray(node) || seg >= node.length) return `${here} does not exist`;
      node = node[seg];
    } else {
      if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, seg))
        return `${here} does not exist`;
      node = (node as Record<string, unknown>)[seg];
    }
  }
  const last = path[path.length - 1]!;
  if (typeof last === 'number') {
    if (!Array.isArray(node) || last >= node.length) return `${showPath(path)} does not exist`;
  } else if (node === null || typeof node !== 'object' || Array.isArray(node))
    return `${showPath(path.slice(0, -1)) || 'the object'} is not a mapping`;
  return { parent: node, last };
}

/**
 * The texts of the manifest files with a cell's edits made (path → text), for an overlay over
 * the snapshot. Every document that holds the object is edited where the path leads (a Rollout
 * in two overlays, both applied); a KEY that reaches no document is an error naming it. A number
 * given for a `successCondition` or `failureCondition` replaces the number it compares against.
 */
export function manifestEdits(
  scenario: Scenario,
  snap: SnapshotFileSystem,
  edits: readonly ManifestEdit[],
): Map<string, string> {
  const out = new Map<string, string>();
  if (edits.length === 0) return out;
  const found = sources(scenario, snap);
  const docsOf = new Map<string, ReturnType<typeof parseAllDocuments>>();
  for (const e of edits) {
    const key = `${e.objectKind}/${e.name}`;
    const srcs = found.get(key);
    if (!srcs) {
      const known = [...found.keys()].sort();
      throw new InputError(
        `${e.flag}: no ${key} among the manifests the scenario applies; expected one of ${known.map((k) => quote(k)).join(', ') || '(none)'}`,
      );
    }
    const why: string[] = [];
    let edited = 0;
    for (const s of srcs) {
      let docs = docsOf.get(s.path);
      if (!docs) {
        docs = parseAllDocuments(snap.read(s.path)!, { keepSourceTokens: false }) as ReturnType<
          typeof parseAllDocuments
        >;
        docsOf.set(s.path, docs);
      }
      const doc = (docs as unknown as import('yaml').Document.Parsed[])[s.index]!;
      const r = reach(doc.toJS(), e.path);
      if (typeof r === 'string') {
        why.push(`${snap.display(s.path)}: ${r}`);
        continue;
      }
      const old = (r.parent as Record<string | number, unknown>)[r.last];
      let value = e.value;
      if (
        typeof value === 'number' &&
        typeof old === 'string' &&
        (r.last === 'successCondition' || r.last === 'failureCondition')
      )
        value = replaceThreshold(old, value, e.flag);
      doc.setIn(e.path as unknown[], value);
      edited++;
    }
    if (edited === 0)
      throw new InputError(`${e.flag}: ${key} has no ${showPath(e.path)} (${why.join('; ')})`);
  }
  for (const [path, docs] of docsOf) {
    const parts = (docs as unknown as import('yaml').Document.Parsed[]).map((d) =>
      d.toString({ lineWidth: 0 }),
    );
    out.set(path, parts.map((p, i) => (i > 0 && !p.startsWith('---') ? `---\n${p}` : p)).join(''));
  }
  return out;
}
