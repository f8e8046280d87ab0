// --json never replaces what is not a file: a write through a symlink lands in its target, a
// terminal or pipe such as /dev/null is written directly (renaming a temp file over it would
// replace the device itself), and a folder or socket is refused before the run.
import { execFileSync, spawn } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkWritable, writeAtomically } from '../../cli/io/writeAtomically.js';

const dir = mkdtempSync(path.join(tmpdir(), 'canarysim-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--json FILE', () => {
  it('writes a new file, and replaces an old one whole', () => {
    const f = path.join(dir, 'report.json');
    writeAtomically(f, '{"a":1}\n');
    writeAtomically(f, '{"a":2}\n');
    expect(readFileSync(f, 'utf8')).toBe('{"a":2}\n');
  });

  it('writes through a symlink to its target and keeps the link', () => {
    const target = path.join(dir, 'target.json');
    writeFileSync(target, 'old\n');
    const link = path.join(dir, 'link.json');
    symlinkSync(target, link);
    writeAtomically(link, 'new\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('new\n');
  });

  it('writes to a character device without replacing it', () => {
    writeAtomically('/dev/null', 'discarded\n');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('writes into a FIFO, as to a pipe', async () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // A reader on the other end (its own process), so opening the FIFO to write does not block.
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    let got = '';
    reader.stdout.setEncoding('utf8').on('data', (c: string) => (got += c));
    const done = new Promise((ok) => reader.once('close', ok));
    writeAtomically(fifo, 'through the pipe\n');
    await done;
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(got).toBe('through the pipe\n');
  });

  it('refuses a folder and a socket before anything runs', async () => {
    const folder = path.join(dir, 'folder');
    mkdirSync(folder);
    expect(() => checkWritable(folder)).toThrow(
      `--json ${folder}: cannot write: it is a folder (expected a file name)`,
    );
    const sock = path.join(dir, 's.sock');
    const server = net.createServer().listen(sock);
    await new Promise((ok) => server.once('listening', ok));
    try {
      expect(() => checkWritable(sock)).toThrow(
        `--json ${sock}: cannot write: not a regular file, pipe or terminal`,
      );
      expect(lstatSync(sock).isSocket()).toBe(true);
    } finally {
      server.close();
    }
  });
});
