import { posix } from 'node:path';

/**
 * Read access to the user's files, injected by the cli layer (sim/ does no I/O of its own).
 * Paths are POSIX, relative to a root the implementation chooses.
 */
export interface FileSystem {
  /** File contents, or undefined when there is no such file. */
  read(path: string): string | undefined;
  isDirectory(path: string): boolean;
  /** The path as the user should see it in messages. */
  display(path: string): string;
}

/**
 * Files edited during a run (`kustomize edit set image`) live here, over the real ones, so a
 * rehearsal never writes to the user's tree.
 */
export class OverlayFileSystem implements FileSystem {
  private readonly written = new Map<string, string>();

  constructor(private readonly base: FileSystem) {}

  read(path: string): string | undefined {
    const p = posix.normalize(path);
    return this.written.get(p) ?? this.base.read(p);
  }

  isDirectory(path: string): boolean {
    return this.base.isDirectory(posix.normalize(path));
  }

  display(path: string): string {
    return this.base.display(posix.normalize(path));
  }

  write(path: string, text: string): void {
    this.written.set(posix.normalize(path), text);
  }

  /** Paths written so far (for reports). */
  edited(): string[] {
    return [...this.written.keys()].sort();
  }
}

export const joinPath = (...parts: string[]): string => posix.normalize(posix.join(...parts));
export const dirName = (p: string): string => posix.dirname(p);
