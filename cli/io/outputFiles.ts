import { fstatSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../sim/errors.js';
import { checkWritable } from './writeAtomically.js';

/** Whether `file` is this process's standard output (`/dev/stdout`, `/proc/self/fd/1`, the same pipe). */
export function isStdout(file: string): boolean {
  try {
    const a = statSync(file);
    const b = fstatSync(1);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}

/**
 * The output files a command was asked for (`--json FILE`, `--junit FILE`, …, those given),
 * checked before anything runs: writable, and no two the same file.
 */
export function outputFiles<F extends string>(
  flags: readonly (readonly [F, string | undefined])[],
): { flag: F; file: string }[] {
  const outs = flags.flatMap(([flag, file]) => (file === undefined ? [] : [{ flag, file }]));
  for (const [i, o] of outs.entries()) {
    checkWritable(o.file, o.flag);
    const twin = outs
      .slice(0, i)
      .find((p) => path.resolve(p.file) === path.resolve(o.file) && !isStdout(o.file));
    if (twin)
      throw new InputError(`${o.flag} ${o.file}: the same file as ${twin.flag}; expected another file name`);
  }
  return outs;
}
