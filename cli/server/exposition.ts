import type { MetricSet } from '../../sim/metrics/index.js';

/** A scrape target: its counters and the labels Prometheus would add. */
export interface ExpositionSource {
  metrics: MetricSet;
  target: Record<string, string>;
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/**
 * The Prometheus text exposition (0.0.4) of several targets at once, as a federating Prometheus
 * would serve it: one HELP/TYPE per family, every sample with its target's labels. It reads the
 * same counters the embedded Prometheus scrapes.
 */
export async function renderExposition(sources: readonly ExpositionSource[]): Promise<string> {
  const families = new Map<string, { help: string; type: string; lines: string[] }>();
  for (const src of sources) {
    // Every family gets its HELP and TYPE, even before it has a series (as prom-client lists it).
    for (const fam of src.metrics.families)
      if (!families.has(fam.name)) families.set(fam.name, { help: fam.help, type: fam.type, lines: [] });
    for (const s of src.metrics.samples()) {
      const f = families.get(s.family.name)!;
      const labels: Record<string, string> =
        s.le === undefined ? { ...s.labels, ...src.target } : { le: s.le, ...s.labels, ...src.target };
      const text = Object.keys(labels)
        .filter((l) => labels[l] !== '')
        .map((l) => `${l}="${escapeLabel(labels[l]!)}"`)
        .join(',');
      f.lines.push(`${s.name}{${text}} ${formatValue(s.value)}`);
    }
  }
  let out = '';
  for (const [name, f] of [...families].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out += `# HELP ${name} ${f.help}\n# TYPE ${name} ${f.type}\n${f.lines.join('\n')}\n`;
  }
  return out;
}
