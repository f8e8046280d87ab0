import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../sim/errors.js';

/**
 * Checks before a run that `--json FILE` can be written (its folder exists, it is not a folder),
 * so a long run does not end in an error that loses its report.
 */
export function checkWritable(file: string, flag = '--json'): void {
  const dir = path.dirname(path.resolve(file));
  let d;
  try {
    d = statSync(dir);
  } catch {
    throw new InputError(`${flag} ${file}: cannot write: folder ${dir} does not exist`);
  }
  if (!d.isDirectory()) throw new InputError(`${flag} ${file}: cannot write: ${dir} is not a folder`);
  try {
    if (statSync(file).isDirectory())
      throw new InputError(`${flag} ${file}: cannot write: it is a folder (expected a file name)`);
  } catch (e) {
    if (e instanceof InputError) throw e;
  }
}

/** Writes a file all at once (a temp file renamed over it), so a failure never leaves half of it. */
export function writeAtomically(file: string, text: string, flag = '--json'): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new InputError(`${flag} ${file}: cannot write: ${(e as Error).message}`, undefined, { cause: e });
  }
}
