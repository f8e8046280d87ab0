// `node dist/test/bench/heyWorker.js <hey's arguments>`: canarysim hey in a process of its own, for
// the benchmark to run beside the real hey and wrk until `canarysim hey` is wired into the CLI.
import { runHeyCommand } from '../../cli/commands/hey.js';

const ac = new AbortController();
process.once('SIGINT', () => ac.abort());
process.exitCode = await runHeyCommand(
  process.argv.slice(2),
  { stdout: process.stdout, stderr: process.stderr },
  ac.signal,
);
