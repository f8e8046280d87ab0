/** A running poll loop. */
export interface Poller {
  /** Runs the task as soon as the current run (if any) has finished, then resumes the interval. */
  now(): void;
  /** No further runs start; a run in flight finishes but nothing is scheduled after it. */
  stop(): void;
}

/**
 * Runs `task` now and then `intervalMs` after each run finishes — never two at once, so a slow
 * server is polled more slowly instead of piling up requests. A rejected run goes to `onError`
 * and polling continues; deciding whether to give up is the caller's job.
 */
export function startPoller(
  task: () => Promise<void>,
  intervalMs: number,
  onError: (err: unknown) => void,
): Poller {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  let stopped = false;

  const run = (): void => {
    timer = undefined;
    if (stopped) return;
    running = true;
    task()
      .catch(onError)
      .finally(() => {
        running = false;
        if (stopped) return;
        if (again) {
          again = false;
          run();
        } else {
          timer = setTimeout(run, intervalMs);
        }
      });
  };

  run();
  return {
    now() {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      clearTimeout(timer);
      run();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
