import { checkWritable, writeAtomically } from '../io/writeAtomically.js';
import os from 'node:os';
import { HeyUsageError, parseHeyArgs } from '../../loadgen/heyFlags.js';
import { runLiveHey } from '../../loadgen/liveHey.js';
import { printHeyCsv } from '../../loadgen/printHeyCsv.js';
import { printHeySummary } from '../../loadgen/printHeySummary.js';
import { InputError } from '../../sim/errors.js';

export interface HeyCommandOut {
  write(s: string): unknown;
}

/**
 * `canarysim hey [hey's options] <url> [--json FILE]`: rakyll/hey 0.1.4 against a real URL. hey's
 * own usage errors print hey's text and return hey's exit code (2 for a bad flag, 1 otherwise);
 * after a run — finished, or stopped through `signal` as by Ctrl-C — the summary (or `-o csv`)
 * goes to stdout and the exit code is 0, as hey's. `--json FILE` is ours: it writes the HeyResult.
 * Bad input canarysim cannot send (-x, -h2, an unreadable -D file…) throws InputError for the cli
 * to print.
 */
export async function runHeyCommand(
  argv: string[],
  io: { stdout: HeyCommandOut; stderr: HeyCommandOut },
  signal?: AbortSignal,
): Promise<number> {
  const { heyArgs, jsonFile } = takeJsonOption(argv);
  let opts;
  try {
    opts = parseHeyArgs(heyArgs, { numCpu: os.availableParallelism() });
  } catch (e) {
    if (e instanceof HeyUsageError) {
      io.stderr.write(e.stderr);
      return e.exitCode;
    }
    throw e;
  }
  if (jsonFile !== undefined) checkWritable(jsonFile);
  const { result, records } = await runLiveHey(opts, signal ? { signal } : {});
  io.stdout.write(opts.output === 'csv' ? printHeyCsv(records ?? []) : printHeySummary(result));
  if (jsonFile !== undefined) writeJson(jsonFile, result);
  return 0;
}

/** hey's flags that take a value (hey.go), so that `-d --json` stays hey's body. */
const HEY_VALUE_FLAGS = new Set([
  'm',
  'h',
  'd',
  'D',
  'A',
  'T',
  'a',
  'host',
  'U',
  'o',
  'x',
  'c',
  'n',
  't',
  'cpus',
  'q',
  'z',
  'H',
]);

/**
 * Takes `--json FILE` / `--json=FILE` (or one dash) out of the arguments, wherever it stands —
 * before the URL, or after it where hey would ignore it — except as the value of one of hey's
 * flags. The last one wins.
 */
function takeJsonOption(argv: readonly string[]): { heyArgs: string[]; jsonFile?: string } {
  const heyArgs: string[] = [];
  let jsonFile: string | undefined;
  let flags = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const json = /^--?json(?:=(.*))?$/s.exec(arg);
    if (json) {
      const value = json[1] ?? argv[++i];
      if (value === undefined || value === '') throw new InputError('--json needs a file name: --json FILE');
      jsonFile = value;
      continue;
    }
    heyArgs.push(arg);
    if (!flags) continue;
    if (arg === '--' || !arg.startsWith('-') || arg.length < 2) {
      flags = false; // Go's flag package stops at the first non-flag
      continue;
    }
    const name = arg.replace(/^--?/, '');
    if (HEY_VALUE_FLAGS.has(name) && i + 1 < argv.length) heyArgs.push(argv[++i] ?? '');
  }
  return jsonFile === undefined ? { heyArgs } : { heyArgs, jsonFile };
}

/** Writes the result all at once (a temp file renamed over it), so a failure leaves no half file. */
function writeJson(file: string, value: unknown): void {
  writeAtomically(file, `${JSON.stringify(value, null, 2)}\n`);
}
