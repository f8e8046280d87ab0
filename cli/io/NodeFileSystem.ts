import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FileSystem } from '../../sim/manifests/index.js';

/** The user's files, read-only, under `root`; paths in messages are relative to the working directory. */
export class NodeFileSystem implements FileSystem {
  constructor(
    private readonly root: string,
    private readonly cwd: string = process.cwd(),
  ) {}

  private abs(p: string): string {
    return path.resolve(this.root, p);
  }

  read(p: string): string | undefined {
    try {
      return readFileSync(this.abs(p), 'utf8');
    } catch {
      return undefined;
    }
  }

  isDirectory(p: string): boolean {
    try {
      return statSync(this.abs(p)).isDirectory();
    } catch {
      return false;
    }
  }

  display(p: string): string {
    const rel = path.relative(this.cwd, this.abs(p));
    return rel === ''
      ? '.'
      : rel.startsWith('..') &&
          path.isAbsolute(this.abs(p)) &&
          rel.split(path.sep).filter((x) => x === '..').length > 3
        ? this.abs(p)
        : rel;
  }
}
