import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { InputError } from '../../sim/errors.js';
import { SCENARIO_LIMIT } from '../../sim/manifests/FileSystem.js';

/** Scenarios one `canarysim test` runs at most (README, Limits). */
export const MAX_SCENARIOS = 1000;
/** YAML files one folder or glob may offer for a look at most (README, Limits). */
export const MAX_CANDIDATES = 10_000;

/**
 * A scenario is the YAML file that has a top-level `timeline:` — the one key every scenario has
 * and no manifest, kustomization or apps file does. Only the first SCENARIO_LIMIT bytes are read:
 * a longer file is refused as a scenario later, with its size.
 */
export function isScenarioFile(file: string): boolean {
  let fd: number | undefined;
  try {
    const st = statSync(file);
    if (!st.isFile()) return false;
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(Math.min(st.size, SCENARIO_LIMIT.bytes) + 1);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return /^["']?timeline["']?[ \t]*:/m.test(buf.toString('utf8', 0, n));
  } catch {
    // Unreadable (permissions, a dangling symlink): not offered as a scenario.
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const YAML = ['**/*.yaml', '**/*.yml'];

/** The scenarios among the YAML files a folder walk or glob found, sorted, bounded. */
function scenariosAmong(arg: string, candidates: string[]): string[] {
  if (candidates.length > MAX_CANDIDATES)
    throw new InputError(
      `${arg}: more than ${MAX_CANDIDATES.toLocaleString('en-US')} YAML files to look at (canarysim's limit); name the scenarios' folder`,
    );
  return candidates.sort().filter(isScenarioFile);
}

/**
 * The scenario files `canarysim test` runs, as absolute paths, in the order the arguments name
 * them (each folder's and glob's sorted), each once. An argument is
 *   - a file: a scenario, whatever it holds (its errors are reported as a scenario's);
 *   - a folder: every scenario below it (isScenarioFile), skipping node_modules and dot-folders;
 *   - a glob (`'scenarios/**\/*.yaml'`, quoted so the shell leaves it to us): the scenarios
 *     among its matches.
 * A name that is none of these, or a folder or glob without a scenario, is an error; every such
 * error is collected, so one run reports them all.
 */
export function findScenarios(
  args: readonly string[],
  cwd = process.cwd(),
): { files: string[]; errors: InputError[] } {
  const files: string[] = [];
  const errors: InputError[] = [];
  const seen = new Set<string>();
  const add = (abs: string) => {
    let key = abs;
    try {
      key = realpathSync(abs);
    } catch {
      // Loading it names the problem.
    }
    if (seen.has(key)) return;
    seen.add(key);
    files.push(abs);
  };
  for (const arg of args.length > 0 ? args : ['.']) {
    try {
      const abs = path.resolve(cwd, arg);
      let st;
      try {
        st = statSync(abs, { throwIfNoEntry: false });
      } catch (e) {
        throw new InputError(
          `${arg}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
      }
      if (st?.isDirectory()) {
        const found = scenariosAmong(
          arg,
          globSync(YAML, {
            cwd: abs,
            absolute: true,
            ignore: ['**/node_modules/**'],
            followSymbolicLinks: false,
            expandDirectories: false,
          }),
        );
        if (found.length === 0)
          throw new InputError(
            `${arg}: a folder without a scenario (a scenario is a .yaml file with a top-level timeline:)`,
          );
        found.forEach(add);
      } else if (st) add(abs);
      else if (isDynamicPattern(arg)) {
        const found = scenariosAmong(
          arg,
          globSync(arg, { cwd, absolute: true, followSymbolicLinks: false, expandDirectories: false }),
        );
        if (found.length === 0)
          throw new InputError(
            `${arg}: matches no scenario (a scenario is a .yaml file with a top-level timeline:)`,
          );
        found.forEach(add);
      } else throw new InputError(`${arg}: no such file or folder`);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors.push(e);
    }
  }
  if (files.length > MAX_SCENARIOS) {
    // Not one of them is read: the run cannot go ahead, and checking thousands says nothing more.
    errors.push(
      new InputError(
        `${files.length.toLocaleString('en-US')} scenarios: canarysim test runs at most ${MAX_SCENARIOS.toLocaleString('en-US')} at once`,
      ),
    );
    return { files: [], errors };
  }
  return { files, errors };
}
