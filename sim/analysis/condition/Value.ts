/**
 * Plain data a condition may read: what a metric provider hands over (JSON-like).
 * Numbers are float64, as every Argo provider decodes them (Prometheus samples, JSON bodies).
 */
export type Value = number | string | boolean | null | Value[] | { [k: string]: Value };
