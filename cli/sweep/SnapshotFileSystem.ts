import type { FileSystem, SizeLimit } from '../../sim/manifests/index.js';

/**
 * A file system that reads each file once and answers from memory after that, and records what
 * was read. A sweep plays the same scenario thousands of times: every run sees the same snapshot
 * of its files (an edit made meanwhile cannot split a sweep in two), and only the first reads
 * the disk.
 */
export class SnapshotFileSystem implements FileSystem {
  private readonly files = new Map<string, string | undefined>();
  private readonly dirs = new Map<string, boolean>();
  /** Paths read so far, in the order first read. */
  readonly reads = new Set<string>();

  constructor(private readonly base: FileSystem) {}

  read(path: string, limit?: SizeLimit): string | undefined {
    this.reads.add(path);
    if (this.files.has(path)) return this.files.get(path);
    const text = this.base.read(path, limit);
    this.files.set(path, text);
    return text;
  }

  isDirectory(path: string): boolean {
    let d = this.dirs.get(path);
    if (d === undefined) this.dirs.set(path, (d = this.base.isDirectory(path)));
    return d;
  }

  display(path: string): string {
    return this.base.display(path);
  }
}
