import { statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../sim/errors.js';
import { NodeFileSystem, within, type ReadBudget, type Sandbox } from './NodeFileSystem.js';

/** `--root DIR` as a sandbox, checked: a folder that holds `input`. */
function rootFlag(root: string, input: string): Sandbox {
  const dir = path.resolve(root);
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new InputError(`invalid --root ${JSON.stringify(root)}: not a folder`);
  if (!within(dir, path.resolve(input)))
    throw new InputError(
      `invalid --root ${JSON.stringify(root)}: ${input} is not below it (--root widens the folder files are read from; it must hold the input)`,
    );
  return { dir, name: 'the --root folder' };
}

/**
 * Where a scenario's files may be: below the scenario's own folder, so that a scenario from
 * elsewhere cannot read the rest of the machine. `--root DIR` (run, test) widens it to DIR.
 */
export function scenarioSandbox(scenario: string, root?: string): Sandbox {
  if (root !== undefined) return rootFlag(root, scenario);
  return {
    dir: path.dirname(path.resolve(scenario)),
    name: "the scenario's folder",
    hint: '--root DIR allows a wider one',
  };
}

/**
 * Where the files of an input named on the command line (`lint FILE`, `lint -k DIR`, `apply -k
 * DIR`, `apply -f FILE`, `serve --apps FILE`, `fault set -f FILE`, `promql test FILE`) may be:
 * below the working directory when the input is — the user vouches for the folder they work in,
 * and kustomize overlays routinely reach `../../base` — otherwise below the input's own folder
 * (the directory itself, or a file's folder). `--root DIR` says it explicitly.
 */
export function inputSandbox(
  input: string,
  opts: { root?: string; directory?: boolean; cwd?: string } = {},
): Sandbox {
  if (opts.root !== undefined) return rootFlag(opts.root, input);
  const cwd = opts.cwd ?? process.cwd();
  const abs = path.resolve(cwd, input);
  if (within(cwd, abs))
    return { dir: cwd, name: 'the working directory', hint: '--root DIR allows another folder' };
  return opts.directory
    ? { dir: abs, name: 'the folder given', hint: '--root DIR allows a wider one' }
    : { dir: path.dirname(abs), name: "the file's folder", hint: '--root DIR allows a wider one' };
}

/**
 * A file system for one command-line input: paths relative to the working directory, files
 * read only from below inputSandbox's folder, bytes counted in `budget` (shared by the inputs of
 * one command).
 */
export function inputFileSystem(
  input: string,
  opts: { root?: string; directory?: boolean; budget?: ReadBudget } = {},
): NodeFileSystem {
  const cwd = process.cwd();
  return new NodeFileSystem(cwd, {
    cwd,
    sandbox: inputSandbox(input, { ...opts, cwd }),
    ...(opts.budget ? { budget: opts.budget } : {}),
  });
}
