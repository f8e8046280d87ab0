import { goQuote } from '../../go/quote.js';

/**
 * A label set as Prometheus prints one (Go's `labels.String()`): names sorted, values quoted as Go
 * quotes them. `{}` when empty.
 *
 *   {code: "500", app: "a"} → `{app="a", code="500"}`
 */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort();
  return `{${keys.map((k) => `${k}=${goQuote(labels[k]!)}`).join(', ')}}`;
}
