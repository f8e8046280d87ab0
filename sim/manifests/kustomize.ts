import { parseDocument, isMap, isSeq, type YAMLMap } from 'yaml';
import { InputError } from '../errors.js';
import {
  atReference,
  dirName,
  joinPath,
  readRequired,
  type FileSystem,
  type OverlayFileSystem,
} from './FileSystem.js';
import type { ManifestObject } from './kinds/ManifestObject.js';
import type { IssueSink } from './ManifestIssues.js';
import { ManifestNode } from './ManifestNode.js';
import { collectManifest, KINDS, parseManifest } from './parseManifest.js';
import { onlyDocument, parseYamlFile, type YamlDoc } from './YamlSource.js';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

const NOT_SIMULATED = [
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'namePrefix',
  'nameSuffix',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
  'replicas',
  'components',
  'bases',
  'crds',
  'generators',
  'transformers',
  'validators',
  'replacements',
  'vars',
  'openapi',
  'helmCharts',
  'helmGlobals',
  'buildMetadata',
  'configurations',
  'sortOptions',
];

interface ImageRule {
  name: string;
  newName?: string;
  newTag?: string;
}

interface Resource {
  doc: YamlDoc;
  value: Record<string, unknown>;
}

/** Finds the kustomization file of a directory, or undefined. */
export function kustomizationFile(fs: FileSystem, dir: string): string | undefined {
  for (const f of KUSTOMIZATION_FILES) {
    const p = joinPath(dir, f);
    if (fs.read(p) !== undefined) return p;
  }
  return undefined;
}

/**
 * Whether `path` is a kustomization rather than manifests: named like one, or a document of kind
 * Kustomization (kustomize.config.k8s.io). Lint builds such a file as its folder.
 */
export function isKustomizationFile(fs: FileSystem, path: string): boolean {
  if (KUSTOMIZATION_FILES.includes(path.split('/').at(-1)!)) return true;
  const text = fs.read(path);
  return (
    text !== undefined &&
    /^kind:\s*(Kustomization|Component)\s*$/m.test(text) &&
    /^apiVersion:\s*kustomize\.config\.k8s\.io\//m.test(text)
  );
}

/**
 * Options of the loaders. `sink`: lint's collecting mode — every manifest problem is reported
 * there and what could be read is returned; without it the first problem is thrown. Either way
 * input that cannot be read at all (no such file, YAML that does not parse, a Helm template, a
 * missing kustomize resource) is thrown.
 */
export interface LoadOptions {
  sink?: IssueSink;
}

function objectsOf(docs: readonly { doc: YamlDoc; value: unknown }[], opts: LoadOptions): ManifestObject[] {
  const sink = opts.sink;
  if (!sink) return docs.map((d) => parseManifest(d.doc, d.value));
  return docs.flatMap((d) => collectManifest(d.doc, d.value, sink) ?? []);
}

/** Loads every document of a manifest file (no kustomize) and validates it. */
export function loadManifestFile(fs: FileSystem, path: string, opts: LoadOptions = {}): ManifestObject[] {
  const text = readRequired(fs, path);
  if (isKustomizationFile(fs, path))
    throw new InputError(
      `${fs.display(path)}: this is a kustomization, not a manifest: build it as a folder (kubectl apply -k ${fs.display(dirName(path))}; canarysim lint -k <dir>; in a scenario, apply: {kustomize: <dir>})`,
    );
  const docs = parseYamlFile(fs.display(path), text, { lenient: opts.sink !== undefined });
  return objectsOf(
    docs.map((doc) => ({ doc, value: doc.doc.toJS() as unknown })),
    opts,
  );
}

/** `kustomize build <dir>`: resources (files and nested kustomizations), then images and namespace transforms. */
export function kustomizeBuild(fs: FileSystem, dir: string, opts: LoadOptions = {}): ManifestObject[] {
  return objectsOf(
    collect(fs, dir, [], opts).map((r) => ({ doc: r.doc, value: r.value })),
    opts,
  );
}

/**
 * The one document of a kustomization file. Like kustomize ≥ 5, a kustomization that says nothing
 * (an empty file, or only apiVersion and kind) is refused: "kustomization.yaml is empty".
 */
function kustomizationDocument(fs: FileSystem, file: string): YamlDoc {
  const shown = fs.display(file);
  const docs = parseYamlFile(shown, fs.read(file)!);
  const name = file.slice(file.lastIndexOf('/') + 1);
  if (docs.length === 0) throw new InputError(`${name} is empty`, { file: shown, line: 1, col: 1 });
  const doc = onlyDocument(docs, shown, 'a kustomization');
  const value = doc.doc.toJS() as unknown;
  if (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).every((k) => k === 'apiVersion' || k === 'kind')
  )
    throw new InputError(`${name} is empty`, { file: shown, line: 1, col: 1 });
  return doc;
}

function collect(fs: FileSystem, dir: string, stack: string[], opts: LoadOptions): Resource[] {
  const file = kustomizationFile(fs, dir);
  if (!file)
    throw new InputError(
      `${fs.display(dir)}: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory`,
    );
  const doc = kustomizationDocument(fs, file);
  // In lint, a field kustomize has but canarysim does not apply is a finding; the build goes on.
  const root = new ManifestNode(doc, [], doc.doc.toJS(), 'Kustomization', opts.sink);
  root.map();
  root.only(['apiVersion', 'kind', 'resources', 'images', 'namespace'], NOT_SIMULATED);
  const out: Resource[] = [];
  const resources = root.child('resources');
  if (resources.exists) {
    for (const r of resources.list()) {
      const rel = r.nonEmptyStr();
      if (/^[a-z]+:\/\//.test(rel) || rel.startsWith('github.com/')) {
        r.report(r.notSimulated(`remote resource ${JSON.stringify(rel)}`));
        continue;
      }
      const path = joinPath(dir, rel);
      // A refused path (outside the sandbox, a device, too large) is reported at this entry.
      const at = <T>(access: () => T): T => atReference(r, rel, fs, path, access);
      if (at(() => fs.isDirectory(path))) {
        const nested = at(() => kustomizationFile(fs, path));
        if (!nested)
          throw r.error(
            `resource ${JSON.stringify(rel)}: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory ${fs.display(path)}`,
          );
        if (nested === file || stack.includes(nested))
          throw r.error(
            `resource ${JSON.stringify(rel)}: cycle in kustomization resources: ${[...stack, file, nested].map((f) => fs.display(f)).join(' -> ')}`,
          );
        out.push(...at(() => collect(fs, path, [...stack, file], opts)));
      } else {
        const text = at(() => fs.read(path));
        if (text === undefined)
          throw r.error(`resource ${JSON.stringify(rel)} not found (looked for ${fs.display(path)})`);
        for (const d of parseYamlFile(fs.display(path), text, { lenient: opts.sink !== undefined })) {
          const value = d.doc.toJS() as unknown;
          if (value === null || typeof value !== 'object' || Array.isArray(value)) {
            throw new InputError(
              `expected a Kubernetes object (a mapping), got ${Array.isArray(value) ? 'a list' : typeof value}`,
              { file: d.file, line: 1, col: 1 },
            );
          }
          out.push({ doc: d, value: value as Record<string, unknown> });
        }
      }
    }
  }
  const images: ImageRule[] = [];
  const imagesNode = root.child('images');
  if (imagesNode.exists) {
    for (const i of imagesNode.list()) {
      i.only(['name', 'newName', 'newTag'], ['digest', 'tagSuffix']);
      images.push({
        name: i.req('name').nonEmptyStr(),
        newName: i.optStr('newName'),
        newTag: i.optStr('newTag'),
      });
    }
  }
  for (const r of out) applyImages(r.value, images);
  const ns = root.optStr('namespace');
  if (ns !== undefined) {
    for (const r of out) {
      const kind = r.value['kind'];
      if (KINDS.some((k) => k.kind === kind && !k.namespaced)) continue;
      const meta = (r.value['metadata'] ??= {}) as Record<string, unknown>;
      meta['namespace'] = ns;
    }
  }
  return out;
}

function splitImage(image: string): { name: string; tag: string | undefined } {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon > slash) return { name: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { name: image, tag: undefined };
}

/** kustomize's image transformer over pod templates (containers of Deployments and Rollouts). */
function applyImages(value: Record<string, unknown>, rules: readonly ImageRule[]): void {
  if (rules.length === 0) return;
  const spec = value['spec'] as Record<string, unknown> | undefined;
  const tspec = (spec?.['template'] as Record<string, unknown> | undefined)?.['spec'] as
    Record<string, unknown> | undefined;
  for (const list of [tspec?.['containers'], tspec?.['initContainers']]) {
    if (!Array.isArray(list)) continue;
    for (const c of list as Record<string, unknown>[]) {
      if (typeof c['image'] !== 'string') continue;
      const { name, tag } = splitImage(c['image']);
      const rule = rules.find((r) => r.name === name);
      if (!rule) continue;
      const newTag = rule.newTag ?? tag;
      c['image'] = `${rule.newName ?? name}${newTag !== undefined ? `:${newTag}` : ''}`;
    }
  }
}

/**
 * The argument of `kustomize edit set image`: `<name>=<newName>[:<newTag>]` or `<name>:<newTag>`,
 * or the error message for one that is neither.
 */
export function parseSetImageArg(arg: string): { name: string; newName?: string; newTag?: string } | string {
  let name: string;
  let newName: string | undefined;
  let newTag: string | undefined;
  const eq = arg.indexOf('=');
  if (eq >= 0) {
    name = arg.slice(0, eq);
    const target = splitImage(arg.slice(eq + 1));
    newName = target.name;
    newTag = target.tag;
  } else {
    const s = splitImage(arg);
    name = s.name;
    newTag = s.tag;
  }
  if (!name || (newName === undefined && newTag === undefined) || newName === '' || /\s/.test(arg))
    return `invalid image ${JSON.stringify(arg)}: expected <name>=<newName>:<newTag> or <name>:<newTag>`;
  return {
    name,
    ...(newName !== undefined ? { newName } : {}),
    ...(newTag !== undefined ? { newTag } : {}),
  };
}

/**
 * `kustomize edit set image <name>=<newName>[:<newTag>]` (or `<name>:<newTag>`) on the
 * kustomization of `dir`, written to the overlay file system only.
 */
export function kustomizeSetImage(fs: OverlayFileSystem, dir: string, arg: string): void {
  const file = kustomizationFile(fs, dir);
  if (!file)
    throw new InputError(
      `${fs.display(dir)}: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory`,
    );
  const parsed = parseSetImageArg(arg);
  if (typeof parsed === 'string') throw new InputError(parsed);
  const { name, newName, newTag } = parsed;
  const doc = parseDocument(fs.read(file)!, { logLevel: 'silent' });
  let images = doc.get('images');
  if (!isSeq(images)) {
    doc.set('images', doc.createNode([]));
    images = doc.get('images');
  }
  const seq = images as { items: unknown[] };
  let entry = seq.items.find((it) => isMap(it) && (it as YAMLMap).get('name') === name) as
    YAMLMap | undefined;
  if (!entry) {
    entry = doc.createNode({ name }) as YAMLMap;
    seq.items.push(entry);
  }
  if (newName !== undefined) entry.set('newName', newName);
  if (newTag !== undefined) entry.set('newTag', newTag);
  fs.write(file, doc.toString());
}

export { dirName };
