import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
  type Stats,
} from 'node:fs';
import path from 'node:path';
import { InputError } from '../../sim/errors.js';
import {
  FILE_LIMIT,
  FileRefusedError,
  RUN_LIMIT_BYTES,
  type FileSystem,
  type SizeLimit,
} from '../../sim/manifests/index.js';

/** The folder every file must stay below, and how messages name it. */
export interface Sandbox {
  /** An absolute folder; symlinks are resolved on both sides before comparing. */
  dir: string;
  /** `the scenario's folder`, `the working directory`, `the --root folder`. */
  name: string;
  /** What to do about a refusal, appended to it: `--root DIR allows a wider one`. */
  hint?: string;
}

/** The bytes one command reads across its file systems, bounded by RUN_LIMIT_BYTES. */
export class ReadBudget {
  private readonly sizes = new Map<string, number>();
  private total = 0;

  constructor(readonly limit = RUN_LIMIT_BYTES) {}

  /** The total if `file` (a real path) were `bytes` long; a file read again counts once. */
  totalWith(file: string, bytes: number): number {
    return this.total - (this.sizes.get(file) ?? 0) + bytes;
  }

  record(file: string, bytes: number): void {
    this.total = this.totalWith(file, bytes);
    this.sizes.set(file, bytes);
  }
}

export interface NodeFileSystemOptions {
  /** Paths in messages are relative to this (default: the process's working directory). */
  cwd?: string;
  /** Default: `root` itself, named `the folder`. */
  sandbox?: Sandbox;
  /** Shared by the file systems of one command (default: one of its own). */
  budget?: ReadBudget;
  /**
   * Read each file once: a later read of the same path (and limit) answers what the first one
   * read. For a virtual run, which takes a snapshot of its inputs in effect anyway (it lasts
   * milliseconds, and reads its kustomizations once to validate and again to play); not for a
   * long-lived server, where a file edited between two applies must be read again.
   */
  snapshot?: boolean;
}

const MiB = 1024 * 1024;

/** `1.5 MiB (1572864 bytes)`: a size as the limit messages say it. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const [unit, size] = n >= MiB ? ['MiB', n / MiB] : ['KiB', n / 1024];
  return `${size.toFixed(1).replace(/\.0$/, '')} ${unit} (${n} bytes)`;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * For a UTF-8 lead byte: how many continuation bytes follow and the range the first of them must
 * fall in (which rules out overlong forms, surrogates and code points past U+10FFFF); undefined
 * for a byte that cannot start a character.
 */
function utf8Lead(c: number): [n: number, lo: number, hi: number] | undefined {
  if (c < 0x80) return [0, 0, 0];
  if (c >= 0xc2 && c <= 0xdf) return [1, 0x80, 0xbf];
  if (c === 0xe0) return [2, 0xa0, 0xbf];
  if (c === 0xed) return [2, 0x80, 0x9f];
  if (c >= 0xe1 && c <= 0xef) return [2, 0x80, 0xbf];
  if (c === 0xf0) return [3, 0x90, 0xbf];
  if (c >= 0xf1 && c <= 0xf3) return [3, 0x80, 0xbf];
  if (c === 0xf4) return [3, 0x80, 0x8f];
  return undefined;
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const lead = utf8Lead(b[i]!);
    if (!lead) return i;
    const [n, lo, hi] = lead;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return b.length;
}

/** Kernel file systems whose "files" are process state, not a user's input. */
const PSEUDO_FS = ['/proc', '/sys', '/dev'];

/** Whether absolute path `p` is `dir` or below it. */
export function within(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * The user's files, read-only, under `root`; paths in messages are relative to the working
 * directory. Only regular files below the sandbox folder are read — symlinks are followed and
 * their target must stay below it too — each checked against its size limit with stat before a
 * byte is read, and read with a bound so a file that grows (or a /proc file that claims size 0)
 * cannot exceed it. Everything else is a FileRefusedError.
 */
export class NodeFileSystem implements FileSystem {
  private readonly cwd: string;
  private readonly sandbox: Sandbox;
  private readonly budget: ReadBudget;
  private realSandbox: string | undefined;
  /** With `snapshot`: each answer of read and isDirectory, by path (and limit). */
  private readonly memo: Map<string, string | boolean | undefined> | undefined;

  constructor(
    private readonly root: string,
    opts: NodeFileSystemOptions = {},
  ) {
    this.cwd = opts.cwd ?? process.cwd();
    this.sandbox = opts.sandbox ?? { dir: path.resolve(root), name: 'the folder' };
    this.budget = opts.budget ?? new ReadBudget();
    this.memo = opts.snapshot ? new Map() : undefined;
  }

  /** `answer(key)` once per key with `snapshot`; every time without. Refusals are never kept. */
  private remembered<T extends string | boolean | undefined>(key: string, answer: () => T): T {
    if (!this.memo) return answer();
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = answer();
    this.memo.set(key, value);
    return value;
  }

  private abs(p: string): string {
    return path.resolve(this.root, p);
  }

  private refuse(p: string, reason: string): FileRefusedError {
    return new FileRefusedError(this.display(p), reason);
  }

  private outside(): string {
    const s = this.sandbox;
    return `${s.name} ${s.dir} (files must be below it${s.hint ? `; ${s.hint}` : ''})`;
  }

  /** The real path of `p` once it is known to stay in the sandbox; undefined when it does not exist. */
  private resolve(p: string): string | undefined {
    const abs = this.abs(p);
    if (!within(this.sandbox.dir, abs)) throw this.refuse(p, `is outside ${this.outside()}`);
    let real: string;
    try {
      real = realpathSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') throw this.refuse(p, 'is a symlink loop (too many levels of symbolic links)');
      if (code === 'EACCES') throw this.refuse(p, 'cannot be read: permission denied');
      return undefined;
    }
    this.realSandbox ??= (() => {
      try {
        return realpathSync(this.sandbox.dir);
      } catch {
        return this.sandbox.dir;
      }
    })();
    if (!within(this.realSandbox, real))
      throw this.refuse(p, `leads through a symlink to ${real}, outside ${this.outside()}`);
    const pseudo = PSEUDO_FS.find((d) => within(d, real));
    if (pseudo) throw this.refuse(p, `is in ${pseudo}, a kernel file system, not an input file`);
    return real;
  }

  read(p: string, limit: SizeLimit = FILE_LIMIT): string | undefined {
    return this.remembered(`read\0${limit.bytes}\0${this.abs(p)}`, () => this.readNow(p, limit));
  }

  private readNow(p: string, limit: SizeLimit): string | undefined {
    const real = this.resolve(p);
    if (real === undefined) return undefined;
    let st: Stats;
    try {
      st = statSync(real);
    } catch {
      return undefined;
    }
    if (st.isDirectory()) return undefined;
    this.check(p, real, st, limit);
    let fd: number;
    try {
      // O_NONBLOCK: should the file have become a FIFO since stat, opening it does not wait for a writer.
      fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    } catch {
      return undefined;
    }
    try {
      // Again on what was opened: the path may have been replaced since stat.
      const opened = fstatSync(fd);
      this.check(p, real, opened, limit);
      // One byte more than stat said: a file that grows while read is refused, not read on.
      const buf = Buffer.alloc(opened.size + 1);
      let n = 0;
      while (n < buf.length) {
        const got = readSync(fd, buf, n, buf.length - n, null);
        if (got === 0) break;
        n += got;
      }
      if (n > opened.size) throw this.refuse(p, 'changed while it was read');
      this.budget.record(real, n);
      return this.decode(p, buf.subarray(0, n));
    } finally {
      closeSync(fd);
    }
  }

  /**
   * The text of a UTF-8 file. Invalid UTF-8 is refused at its line:col (YAML is UTF-8, and
   * Kubernetes' decoder rejects it too) rather than read as U+FFFD that a name or value would carry.
   */
  private decode(p: string, bytes: Buffer): string {
    try {
      return UTF8.decode(bytes);
    } catch {
      const at = firstInvalidUtf8(bytes);
      const before = bytes.toString('utf8', 0, at);
      const line = before.split('\n').length;
      const col = before.length - before.lastIndexOf('\n');
      throw new InputError(
        `${this.display(p)}:${line}:${col}: invalid UTF-8 (byte 0x${bytes[at]!.toString(16).padStart(2, '0')} at offset ${at}); expected a UTF-8 text file`,
      );
    }
  }

  /** Refuses what is not a regular file, or too large for `limit` or the run's budget. */
  private check(p: string, real: string, st: Stats, limit: SizeLimit): void {
    if (!st.isFile()) throw this.refuse(p, `is ${kindOf(st)}, not a regular file`);
    if (st.size > limit.bytes)
      throw this.refuse(
        p,
        `is ${formatBytes(st.size)}, over the ${formatBytes(limit.bytes)} limit for ${limit.what}`,
      );
    const total = this.budget.totalWith(real, st.size);
    if (total > this.budget.limit)
      throw this.refuse(
        p,
        `would bring the files read together to ${formatBytes(total)}, over the ${formatBytes(this.budget.limit)} limit for one command`,
      );
  }

  isDirectory(p: string): boolean {
    return this.remembered(`dir\0${this.abs(p)}`, () => this.isDirectoryNow(p));
  }

  private isDirectoryNow(p: string): boolean {
    const real = this.resolve(p);
    if (real === undefined) return false;
    try {
      return statSync(real).isDirectory();
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
