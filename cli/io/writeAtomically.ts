import { realpathSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../sim/errors.js';

/**
 * What `file` is when it exists (a symlink followed), or undefined. `real` is the regular file a
 * symlink leads to (the temp file goes beside it); anything else is written by the name given —
 * a pipe's /dev/stdout resolves to `/proc/PID/fd/pipe:[N]`, which is no path to stat or open.
 */
function existing(file: string, flag: string): { real: string; stats: Stats } | undefined {
  try {
    const stats = statSync(file);
    return { real: stats.isFile() ? realpathSync(file) : file, stats };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new InputError(`${flag} ${file}: cannot write: ${code ?? (e as Error).message}`);
  }
}

/**
 * Checks before a run that `--json FILE` can be written (its folder exists; it is a file, a new
 * name, or a pipe or terminal such as /dev/stdout), so a long run does not end in an error that
 * loses its report — and so a device, socket or folder is never replaced by a file.
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
  const e = existing(file, flag);
  if (!e) return;
  if (e.stats.isDirectory())
    throw new InputError(`${flag} ${file}: cannot write: it is a folder (expected a file name)`);
  if (!e.stats.isFile() && !e.stats.isFIFO() && !e.stats.isCharacterDevice())
    throw new InputError(`${flag} ${file}: cannot write: not a regular file, pipe or terminal`);
}

/**
 * Writes a file all at once (a temp file renamed over it, beside the file a symlink points to),
 * so a failure never leaves half of it. A pipe or character device (`/dev/stdout`) is written
 * directly: renaming over it would replace the device itself.
 */
export function writeAtomically(file: string, text: string, flag = '--json'): void {
  checkWritable(file, flag);
  const e = existing(file, flag);
  if (e && !e.stats.isFile()) {
    try {
      writeFileSync(e.real, text);
    } catch (err) {
      throw new InputError(`${flag} ${file}: cannot write: ${(err as Error).message}`, undefined, {
        cause: err,
      });
    }
    return;
  }
  const target = e?.real ?? file;
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new InputError(`${flag} ${file}: cannot write: ${(err as Error).message}`, undefined, {
      cause: err,
    });
  }
}
