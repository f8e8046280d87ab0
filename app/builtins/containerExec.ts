import { posix } from 'node:path';
import type { ContainerConfig } from '../types.js';

/** What an image's config says about the process it starts, and which files it holds. */
export interface ImageProcess {
  entrypoint: readonly string[];
  cmd: readonly string[];
  /** WORKDIR: relative program paths resolve against it. */
  workdir: string;
  /** The image's PATH, when its config sets one (the container's env may replace it). */
  path?: string;
  /** The program canarysim models, as an absolute path. */
  binary: string;
  /** Other programs the image holds (a shell, a CLI), as absolute paths. */
  others: readonly string[];
}

/** containerd's PATH for an image whose config sets none (a FROM-scratch image). */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** How the container's process starts. */
export type ContainerStart =
  /** The modelled program runs with these arguments (after the program name). */
  | { kind: 'run'; argv0: string; args: string[] }
  /** The runtime cannot start it (exit code 128, the pod shows RunContainerError / StartError). */
  | { kind: 'fail'; code: number; reason: string }
  /** It starts another program of the image (a shell): canarysim cannot tell what that does. */
  | { kind: 'other'; program: string };

/**
 * Kubernetes' rule over the image's ENTRYPOINT and CMD: `command` replaces the ENTRYPOINT and
 * drops the CMD; `args` alone replace the CMD. The first word is looked up the way runc does
 * (in PATH when it has no slash, against WORKDIR when relative), so `args: ["--random-error"]`
 * on an image with only a CMD fails to start, as it does in a cluster.
 */
export function containerStart(c: ContainerConfig, img: ImageProcess): ContainerStart {
  const argv =
    c.command.length > 0
      ? [...c.command, ...c.args]
      : [...img.entrypoint, ...(c.args.length > 0 ? c.args : img.cmd)];
  const argv0 = argv[0];
  if (argv0 === undefined || argv0 === '') return { kind: 'fail', code: 128, reason: 'no command specified' };
  const files = [img.binary, ...img.others];
  let found: string | undefined;
  if (argv0.includes('/')) {
    const abs = posix.resolve(img.workdir, argv0);
    found = files.find((f) => f === abs);
    if (!found) return notFound(`exec: "${argv0}": stat ${argv0}: no such file or directory`);
  } else {
    const dirs = (c.env['PATH'] ?? img.path ?? DEFAULT_PATH).split(':');
    for (const d of dirs) {
      found = files.find((f) => f === posix.join(posix.resolve(img.workdir, d || '.'), argv0));
      if (found) break;
    }
    if (!found) return notFound(`exec: "${argv0}": executable file not found in $PATH`);
  }
  return found === img.binary
    ? { kind: 'run', argv0, args: argv.slice(1) }
    : { kind: 'other', program: found };
}

function notFound(reason: string): ContainerStart {
  return { kind: 'fail', code: 128, reason };
}
