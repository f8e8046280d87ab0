import { InputError } from '../../sim/errors.js';
import {
  dirName,
  IssueSink,
  isKustomizationFile,
  kustomizeBuild,
  loadManifestFile,
  readRequired,
  type FileSystem,
  type ManifestError,
  type ManifestObject,
} from '../../sim/manifests/index.js';

export interface LintInputs {
  objects: ManifestObject[];
  /** Every manifest problem met while reading, for `lintManifests`'s `issues`. */
  issues: ManifestError[];
}

/**
 * Reads lint's inputs in collecting mode: kustomizations (`-k DIR`, or a kustomization file
 * passed as a file, built as its folder — what a user who names it means), then manifest files.
 * Every manifest problem is collected; only input that cannot be read at all is thrown (no such
 * file, a folder, YAML that does not parse, a Helm template, a missing kustomize resource, a file
 * refused by its sandbox). `files` is one file system for every input, or one per input (each
 * command-line input has its own sandbox).
 */
export function loadLintInputs(
  files: FileSystem | ((input: string, directory: boolean) => FileSystem),
  paths: readonly string[],
  kustomize: readonly string[],
): LintInputs {
  const fsFor = typeof files === 'function' ? files : () => files;
  const sink = new IssueSink();
  const objects: ManifestObject[] = [];
  const built = new Set<string>();
  const build = (fs: FileSystem, dir: string) => {
    if (built.has(dir)) return;
    built.add(dir);
    objects.push(...kustomizeBuild(fs, dir, { sink }));
  };
  for (const dir of kustomize) build(fsFor(dir, true), dir);
  for (const f of paths) {
    const fs = fsFor(f, false);
    if (fs.isDirectory(f))
      throw new InputError(
        `${fs.display(f)}: is a folder: pass a kustomization folder with -k, or its files`,
      );
    const text = readRequired(fs, f);
    if (/^timeline:/m.test(text) && !/^kind:/m.test(text))
      throw new InputError(
        `${fs.display(f)}: this is a canarysim scenario, not a manifest: lint the manifests it applies (canarysim lint -k DIR FILE…), or play it with canarysim run`,
      );
    if (isKustomizationFile(fs, f)) build(fs, dirName(f));
    else objects.push(...loadManifestFile(fs, f, { sink }));
  }
  return { objects, issues: sink.issues };
}
