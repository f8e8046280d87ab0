/**
 * Kubernetes' `HumanDuration` (k8s.io/apimachinery/pkg/util/duration), the AGE format of
 * `kubectl get` and of the Argo Rollouts plugin: about two significant figures, never a space.
 *
 * Worked examples (input in milliseconds):
 *   -1999 → "0s" (up to 2 s of clock skew counts as now), -2000 → "<invalid>",
 *   119_999 → "119s" (seconds up to two minutes), 120_000 → "2m", 366_000 → "6m6s",
 *   600_000 → "10m", 10_799_000 → "179m", 10_800_000 → "3h", 11_100_000 → "3h5m",
 *   28_800_000 → "8h", 47h → "47h", 48h → "2d", 50h → "2d2h", 8d → "8d",
 *   729d → "729d", 730d → "2y", 731d → "2y1d", 8y → "8y".
 * Every unit is truncated, never rounded, as Go's integer division does.
 */
export function humanDuration(ms: number): string {
  // Go converts with int(d.Seconds()), which truncates toward zero: -1.9 s is 0 s.
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;

  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;

  const hours = Math.floor(seconds / 3600);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;

  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;

  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}
