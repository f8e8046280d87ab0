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
  /**
   * Inputs that could not be read at all (as shown to the user), one error each, in the order
   * given: lint stops with exit 2 (and `--json` lists them as `input` findings).
   */
  unreadable: { input: string; error: InputError }[];
  /** Scenario files among the inputs: they supply settings (scrape interval, Argo version), not objects. */
  scenarios: { fs: FileSystem; path: string }[];
}

/** A scenario (a timeline, no `kind:`) rather than a manifest. */
const isScenario = (text: string) => /^timeline:/m.test(text) && !/^kind:/m.test(text);

/**
 * Reads lint's inputs in collecting mode: kustomizations (`-k DIR`, or a kustomization file
 * passed as a file, built as its folder — what a user who names it means), then manifest files.
 * Every manifest problem is collected; an input that cannot be read at all (no such file, a
 * folder, YAML that does not parse, a Helm template, a missing kustomize resource, a file
 * refused by its sandbox) is recorded in `unreadable` and the others are still read, so every
 * such input is reported at once. A scenario file is set aside for its settings. `files` is one
 * file system for every input, or one per input (each command-line input has its own sandbox).
 */
export function loadLintInputs(
  files: FileSystem | ((input: string, directory: boolean) => FileSystem),
  paths: readonly string[],
  kustomize: readonly string[],
): LintInputs {
  const fsFor = typeof files === 'function' ? files : () => files;
  const sink = new IssueSink();
  const objects: ManifestObject[] = [];
  const unreadable: LintInputs['unreadable'] = [];
  const scenarios: LintInputs['scenarios'] = [];
  const built = new Set<string>();
  const build = (fs: FileSystem, dir: string) => {
    if (built.has(dir)) return;
    built.add(dir);
    objects.push(...kustomizeBuild(fs, dir, { sink }));
  };
  const read = (input: string, directory: boolean, load: (fs: FileSystem) => void) => {
    let fs: FileSystem | undefined;
    try {
      fs = fsFor(input, directory);
      load(fs);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      unreadable.push({ input: fs ? fs.display(input) : input, error: e });
    }
  };
  for (const dir of kustomize) read(dir, true, (fs) => build(fs, dir));
  for (const f of paths)
    read(f, false, (fs) => {
      if (fs.isDirectory(f))
        throw new InputError(
          `${fs.display(f)}: is a folder: pass a kustomization folder with -k, or its files`,
        );
      const text = readRequired(fs, f);
      if (isScenario(text)) scenarios.push({ fs, path: f });
      else if (isKustomizationFile(fs, f)) build(fs, dirName(f));
      else objects.push(...loadManifestFile(fs, f, { sink }));
    });
  return { objects, issues: sink.issues, unreadable, scenarios };
}
