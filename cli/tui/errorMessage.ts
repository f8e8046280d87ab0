/** The one line a status bar or panel shows for a failure (the CLI's errors carry their context). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
