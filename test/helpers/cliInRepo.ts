import { runCli } from '../../cli/runCli.js';
import { REPO_ROOT } from './runScenarioFile.js';

/** `canarysim ARGS…` in this process, from the repository root: exit code, stdout and stderr. */
export async function cliInRepo(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const cwd = process.cwd();
  process.chdir(REPO_ROOT);
  try {
    const code = await runCli(args, {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
    });
    return { code, out, err };
  } finally {
    process.chdir(cwd);
  }
}
