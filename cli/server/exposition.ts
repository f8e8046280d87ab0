import type { Registry } from 'prom-client';

/** A scrape target: its registry and the labels Prometheus would add. */
export interface ExpositionSource {
  registry: Registry;
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
 * would serve it: one HELP/TYPE per family, every sample with its target's labels.
 */
export async function renderExposition(sources: readonly ExpositionSource[]): Promise<string> {
  const families = new Map<string, { help: string; type: string; lines: string[] }>();
  for (const src of sources) {
    for (const fam of await src.registry.getMetricsAsJSON()) {
      let f = families.get(fam.name);
      if (!f) families.set(fam.name, (f = { help: fam.help, type: String(fam.type), lines: [] }));
      for (const s of fam.values as {
        labels: Record<string, string | number>;
        value: number;
        metricName?: string;
      }[]) {
        const labels = { ...s.labels, ...src.target };
        const text = Object.keys(labels)
          .filter((k) => labels[k] !== '')
          .map((k) => `${k}="${escapeLabel(String(labels[k]))}"`)
          .join(',');
        f.lines.push(`${s.metricName ?? fam.name}{${text}} ${formatValue(s.value)}`);
      }
    }
  }
  let out = '';
  for (const [name, f] of [...families].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out += `# HELP ${name} ${f.help}\n# TYPE ${name} ${f.type}\n${f.lines.join('\n')}\n`;
  }
  return out;
}
