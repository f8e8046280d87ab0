import { posix } from 'node:path';
import { InputError } from '../errors.js';
import type { ManifestNode } from './ManifestNode.js';

/** How large a file may be, and what the message calls such a file. */
export interface SizeLimit {
  bytes: number;
  what: string;
}

const MiB = 1024 * 1024;

/**
 * A scenario file: settings and a timeline are a few KiB; 1 MiB parses in about a second,
 * where a 50 MB one took minutes and gigabytes.
 */
export const SCENARIO_LIMIT: SizeLimit = { bytes: 1 * MiB, what: 'a scenario' };

/**
 * Any other file a command reads: manifests, kustomizations, app models, test scripts. etcd
 * caps one Kubernetes object at about 1.5 MiB; a file of several such objects fits in 4 MiB.
 */
export const FILE_LIMIT: SizeLimit = { bytes: 4 * MiB, what: 'a manifest or other input file' };

/** Every distinct file one command (a run, a lint, an apply) reads, together. */
export const RUN_LIMIT_BYTES = 16 * MiB;

/**
 * Read access to the user's files, injected by the cli layer (sim/ does no I/O of its own).
 * Paths are POSIX, relative to a root the implementation chooses. An implementation over real
 * files keeps every access inside a sandbox folder and reads only regular files of bounded size:
 * anything else is refused with a FileRefusedError, never read.
 */
export interface FileSystem {
  /**
   * File contents, or undefined when there is no such file (or it is a folder). Throws
   * FileRefusedError for a path outside the sandbox, a device, FIFO or socket, or a file larger
   * than `limit` (default FILE_LIMIT) or than what is left of the run's budget.
   */
  read(path: string, limit?: SizeLimit): string | undefined;
  /** Whether the path is a folder; throws FileRefusedError for a path outside the sandbox. */
  isDirectory(path: string): boolean;
  /** The path as the user should see it in messages. */
  display(path: string): string;
}

/**
 * Reads a file that must be there; otherwise one line that says why: `x: no such file`, or
 * `x: is a folder; expected a file` (`flag`, when given, starts the line: `--apps x: …`).
 */
export function readRequired(fs: FileSystem, path: string, limit?: SizeLimit, flag?: string): string {
  const text = fs.read(path, limit);
  if (text !== undefined) return text;
  const what = fs.isDirectory(path) ? 'is a folder; expected a file' : 'no such file';
  throw new InputError(`${flag ? `${flag} ` : ''}${fs.display(path)}: ${what}`);
}

/**
 * A file the FileSystem will not read: outside its sandbox, not a regular file, or too large.
 * `shown` is the path as displayed, `reason` the rest of the sentence (`is outside …`).
 */
export class FileRefusedError extends InputError {
  constructor(
    readonly shown: string,
    readonly reason: string,
  ) {
    super(`${shown}: ${reason}`);
  }
}

/**
 * Accesses a path the user wrote in a file (`apply.file`, a kustomization's `resources:`
 * entry), so that a refusal is reported at the place that named it: `timeline[0].apply.file:
 * "../../etc/x" is outside the scenario's folder /x (files must be below it)`. When the file
 * refused is another one reached through it (the kustomization.yaml of a folder), it is named too.
 */
export function atReference<T>(
  node: ManifestNode,
  written: string,
  fs: FileSystem,
  path: string,
  access: () => T,
): T {
  try {
    return access();
  } catch (e) {
    if (!(e instanceof FileRefusedError)) throw e;
    const via = e.shown === fs.display(path) ? '' : `: ${e.shown}`;
    throw node.error(`${JSON.stringify(written)}${via} ${e.reason}`);
  }
}

/**
 * Files edited during a run (`kustomize edit set image`) live here, over the real ones, so a
 * rehearsal never writes to the user's tree.
 */
export class OverlayFileSystem implements FileSystem {
  private readonly written = new Map<string, string>();

  constructor(private readonly base: FileSystem) {}

  read(path: string, limit?: SizeLimit): string | undefined {
    const p = posix.normalize(path);
    return this.written.get(p) ?? this.base.read(p, limit);
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

/** `dir/rel`, normalised; an absolute part stands for itself, as in a shell (the sandbox then judges it). */
export const joinPath = (...parts: string[]): string => {
  const from = parts.map((p) => p.startsWith('/')).lastIndexOf(true);
  return posix.normalize(posix.join(...parts.slice(Math.max(from, 0))));
};
export const dirName = (p: string): string => posix.dirname(p);
