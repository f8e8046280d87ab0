import { formatGoDuration } from '../../go/duration.js';
import { CHART_CLIENT_JS } from './chartClient.js';
import { escapeHtml, htmlPage, jsonScript } from './htmlPage.js';
import type { RolloutCharts, RunCharts } from './RunCharts.js';

/** Draws every chart of the page from the embedded data (ids `c-S-R-KIND`). */
const REPORT_CLIENT_JS = String.raw`
(function () {
  'use strict';
  var runs = JSON.parse(document.getElementById('canarysim-data').textContent);
  var C = canarysimCharts;
  runs.forEach(function (run, s) {
    run.rollouts.forEach(function (r, i) {
      var id = function (k) { return document.getElementById('c-' + s + '-' + i + '-' + k); };
      var base = { versions: r.versions, markers: r.markers, end: run.simulatedSeconds, group: [], syncKey: 'r-' + s + '-' + i };
      function draw(kind, chart, opts) {
        var el = id(kind);
        if (!el || !chart) return;
        C.timeChart(el, chart, Object.assign({}, base, opts));
      }
      draw('weights', r.weights, { title: 'Traffic weight per version (%)', unit: '%', stepped: true, yRange: [0, 100], labels: true });
      draw('rate', r.requestRate, { title: 'Request rate per version (req/s, TSDB)', unit: 'req/s' });
      draw('success', r.successRate, { title: 'Success rate per version (non-5xx share, TSDB)', yRange: [0, 1.05] });
      draw('p99', r.p99, { title: 'p99 latency per version (ms, TSDB)', unit: 'ms' });
      draw('pods', r.pods, { title: 'Ready pods per ReplicaSet', stepped: true });
      r.analysis.forEach(function (a, j) {
        var el = id('analysis-' + j);
        if (el) C.analysisChart(el, a, Object.assign({}, base, { title: a.kind + ' analysis ' + a.run + ' · ' + a.metric + ' → ' + (a.phase || 'running') }));
      });
    });
  });
})();
`;

const PAGE_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 1500px; padding: 0 16px 48px; color: #222; }
h1 { font-size: 20px; margin: 16px 0 4px; } h2 { font-size: 18px; margin: 28px 0 4px; border-top: 1px solid #ddd; padding-top: 12px; }
h3 { font-size: 16px; margin: 18px 0 4px; } .meta { color: #555; margin: 0 0 8px; }
.pass { color: #2ca02c; font-weight: 600; } .fail { color: #d62728; font-weight: 600; }
.chart { margin: 8px 0; min-height: 60px; } .pair { display: flex; gap: 16px; align-items: flex-start; }
.pair > .charts { flex: 1 1 60%; min-width: 0; }
.key span { margin-right: 12px; } .key b { display: inline-block; width: 14px; height: 0; vertical-align: middle; margin-right: 4px; }
.explain { flex: 1 1 40%; max-height: 420px; overflow: auto; background: #f6f8fa; padding: 8px; font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; margin: 8px 0; }
table.exp { border-collapse: collapse; font-size: 13px; } table.exp td { padding: 2px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
details { margin: 4px 0; font-size: 12px; color: #555; } .none { color: #777; font-style: italic; }
nav ol { columns: 2; font-size: 13px; }
`;

/**
 * The HTML report of one run or of a suite (a section per scenario): one self-contained page —
 * uPlot and the chart code inlined, the data as JSON — that draws each rollout's weights, request
 * and success rates, p99, pods, and each analysis metric beside `explain`'s text. Pure: the same
 * data gives the same bytes.
 */
export function renderReportHtml(runs: readonly RunCharts[], title?: string): string {
  const heading =
    title ?? (runs.length === 1 ? `canarysim: ${runs[0]!.name}` : `canarysim: ${runs.length} scenarios`);
  const passed = runs.filter((r) => r.passed).length;
  const nav =
    runs.length > 1
      ? `<p class="meta">${passed} passed, ${runs.length - passed} failed</p><nav><ol>${runs
          .map(
            (r, s) =>
              `<li><a href="#s-${s}">${escapeHtml(r.file)}</a> <span class="${r.passed ? 'pass">PASS' : 'fail">FAIL'}</span></li>`,
          )
          .join('')}</ol></nav>`
      : '';
  const body = `<h1>${escapeHtml(heading)}</h1>${nav}${runs.map(runSection).join('')}`;
  return htmlPage({
    title: heading,
    css: PAGE_CSS,
    body,
    scripts: [jsonScript('canarysim-data', runs), CHART_CLIENT_JS, REPORT_CLIENT_JS],
  });
}

function runSection(run: RunCharts, s: number): string {
  const verdict = `<span class="${run.passed ? 'pass">PASS' : 'fail">FAIL'}</span>`;
  const held = run.expectations.filter((e) => e.passed).length;
  const rows = run.expectations
    .map(
      (e) =>
        `<tr><td>${e.passed ? '✔' : '✖'}</td><td><code>${escapeHtml(e.source)}</code></td><td><code>${escapeHtml(e.condition)}</code>${e.error ? ` — ${escapeHtml(e.error)}` : ''}</td></tr>`,
    )
    .join('');
  return `<section class="scenario" id="s-${s}"><h2>${escapeHtml(run.name)}</h2>
<p class="meta">${verdict} ${held}/${run.expectations.length} expectations held · <code>${escapeHtml(run.file)}</code> · seed ${run.seed} · ${formatGoDuration(run.simulatedSeconds * 1000)} simulated from ${escapeHtml(run.startTime)}</p>
${rows ? `<details${run.passed ? '' : ' open'}><summary>Expectations</summary><table class="exp">${rows}</table></details>` : ''}
${run.rollouts.length ? run.rollouts.map((r, i) => rolloutSection(r, s, i)).join('') : '<p class="none">no rollouts</p>'}
</section>`;
}

/** What the vertical lines mean (colours as chartClient draws them). */
const MARKER_KEY = `<p class="meta key">Lines: ${[
  ['rgba(0,0,0,0.3)', 'solid', 'step completed (n/steps)'],
  ['rgba(31,119,180,0.6)', 'dashed', 'paused / resumed'],
  ['#ff7f0e', 'dashed', 'your command (promote, abort…)'],
  ['#9467bd', 'dashed', 'new revision'],
  ['#d62728', 'dashed', 'aborted'],
  ['#2ca02c', 'dashed', 'completed'],
]
  .map(([c, style, what]) => `<span><b style="border-top: 2px ${style} ${c}"></b>${what}</span>`)
  .join('')} · drag across a chart to zoom, double-click to reset</p>`;

function rolloutSection(r: RolloutCharts, s: number, i: number): string {
  const id = (k: string) => `c-${s}-${i}-${k}`;
  const chart = (k: string, present: boolean, what: string) =>
    present ? `<div class="chart" id="${id(k)}"></div>` : `<p class="none">${what}</p>`;
  const analysis = r.analysis.length
    ? `<div class="pair"><div class="charts">${r.analysis.map((_, j) => `<div class="chart" id="${id(`analysis-${j}`)}"></div>`).join('')}</div><pre class="explain">${escapeHtml(r.explain)}</pre></div>`
    : `<p class="none">no analysis runs</p>${r.explain ? `<pre class="explain">${escapeHtml(r.explain)}</pre>` : ''}`;
  return `<h3>Rollout ${escapeHtml(r.namespace)}/${escapeHtml(r.name)} — ${escapeHtml(r.phase)}</h3>
${r.message ? `<p class="meta">${escapeHtml(r.message)}</p>` : ''}
${MARKER_KEY}
${chart('weights', r.weights.series.length > 0, 'no weights recorded')}
${chart('rate', r.requestRate !== null, 'no request metrics in the TSDB (no sidecars, or no traffic)')}
${chart('success', r.successRate !== null, '')}
${r.p99 ? chart('p99', true, '') : ''}
${chart('pods', r.pods.series.length > 0, 'no ReplicaSets')}
${analysis}
<details><summary>Queries behind the TSDB charts (step ${r.queries.step}s)</summary><pre>${escapeHtml(`${r.queries.rate}\n${r.queries.ok}\n${r.queries.p99}`)}</pre></details>
${r.framesDropped ? `<p class="none">${r.framesDropped} later changes not drawn (more than 10,000)</p>` : ''}`;
}
