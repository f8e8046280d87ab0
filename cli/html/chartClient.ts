/**
 * The browser side of canarysim's charts, on uPlot (inlined beside it): one `canarysimCharts`
 * object with a time chart (stepped or lines, markers, thresholds, a legend of versions) and an
 * analysis chart (measurements as points coloured by verdict, thresholds drawn). Plain ES2020
 * that reads only the data it is given — no network, no eval — shared by every page that draws
 * a rollout over time (the HTML report; the live view can include the same text).
 *
 * Kept as text rather than compiled TypeScript: the project's types have no DOM, and the
 * browser tests (test/html) are what check it draws.
 */
export const CHART_CLIENT_JS = String.raw`
var canarysimCharts = (function () {
  'use strict';
  var PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f', '#d62728'];
  var VERDICT = { Successful: '#2ca02c', Failed: '#d62728', Inconclusive: '#ff9f1c', Error: '#7f7f7f' };
  var MARKER = {
    step: 'rgba(0,0,0,0.18)', pause: 'rgba(31,119,180,0.45)', resume: 'rgba(31,119,180,0.25)',
    abort: '#d62728', complete: '#2ca02c', update: '#9467bd', command: '#ff7f0e'
  };

  /** Tick spacings in seconds that read well as HH:MM:SS. */
  var TIME_INCRS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

  function pad(n) { return n < 10 ? '0' + n : '' + n; }
  /** Simulated seconds as HH:MM:SS, as run output and explain print them. */
  function clock(s) {
    s = Math.round(s);
    return pad(Math.floor(s / 3600)) + ':' + pad(Math.floor((s % 3600) / 60)) + ':' + pad(s % 60);
  }
  function colorOf(versions, v) {
    var i = versions.indexOf(v);
    return PALETTE[(i < 0 ? versions.length : i) % PALETTE.length];
  }
  function fmt(v, unit) {
    if (v == null || !isFinite(v)) return '–';
    var a = Math.abs(v);
    var s = a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(2) : v.toPrecision(3);
    return unit ? s + ' ' + unit : s;
  }

  /** Vertical lines for step boundaries, events and commands; labels on the chart that asks for them. */
  function drawMarkers(u, markers, labels) {
    var ctx = u.ctx, b = u.bbox, dpr = window.devicePixelRatio || 1;
    ctx.save();
    ctx.font = (10 * dpr) + 'px sans-serif';
    // uPlot leaves the axes' alignment on the context.
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    var lastLabelX = -1e9;
    for (var i = 0; i < markers.length; i++) {
      var m = markers[i];
      var x = Math.round(u.valToPos(m.t, 'x', true));
      if (x < b.left || x > b.left + b.width) continue;
      ctx.strokeStyle = MARKER[m.kind] || '#999';
      ctx.lineWidth = (m.kind === 'abort' || m.kind === 'command' ? 2 : 1) * dpr;
      ctx.setLineDash(m.kind === 'step' ? [] : [4 * dpr, 3 * dpr]);
      ctx.beginPath();
      ctx.moveTo(x, b.top);
      ctx.lineTo(x, b.top + b.height);
      ctx.stroke();
      if (labels && m.kind !== 'resume' && m.kind !== 'pause' && x - lastLabelX > 28 * dpr) {
        ctx.fillStyle = m.kind === 'step' ? '#555' : MARKER[m.kind];
        ctx.fillText(m.label, x + 2 * dpr, b.top + 10 * dpr + (m.kind === 'step' ? 0 : 11 * dpr));
        lastLabelX = x;
      }
    }
    ctx.restore();
  }

  /** Horizontal dashed lines at a condition's thresholds, each labelled with its comparison. */
  function drawThresholds(u, thresholds) {
    var ctx = u.ctx, b = u.bbox, dpr = window.devicePixelRatio || 1;
    ctx.save();
    ctx.font = (10 * dpr) + 'px sans-serif';
    // uPlot leaves the axes' alignment on the context.
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    for (var i = 0; i < thresholds.length; i++) {
      var th = thresholds[i];
      var y = Math.round(u.valToPos(th.value, 'y', true));
      if (y < b.top || y > b.top + b.height) continue;
      ctx.strokeStyle = th.color;
      ctx.lineWidth = 1.5 * dpr;
      ctx.setLineDash([6 * dpr, 4 * dpr]);
      ctx.beginPath();
      ctx.moveTo(b.left, y);
      ctx.lineTo(b.left + b.width, y);
      ctx.stroke();
      ctx.fillStyle = th.color;
      ctx.fillText(th.text, b.left + 4 * dpr, y - 3 * dpr);
    }
    ctx.restore();
  }

  /** Charts of one group share the cursor (hover one, read all) and the zoom (drag to zoom, double-click to reset). */
  function cursorOf(opts) {
    return { drag: { x: true, y: false }, sync: opts.group ? { key: opts.syncKey } : undefined };
  }
  function syncZoom(group) {
    var busy = false;
    return function (u, key) {
      if (!group || key !== 'x' || busy) return;
      busy = true;
      var x = u.scales.x;
      for (var i = 0; i < group.length; i++) {
        if (group[i] !== u && (group[i].scales.x.min !== x.min || group[i].scales.x.max !== x.max))
          group[i].setScale('x', { min: x.min, max: x.max });
      }
      busy = false;
    };
  }

  function widthOf(el) { return Math.max(320, Math.floor(el.clientWidth || 800)); }

  /**
   * A chart of series over simulated time. opts: title, unit, versions (colour order), markers,
   * end (seconds), stepped, yRange ([min, max] or undefined), labels (draw marker labels).
   */
  function timeChart(el, chart, opts) {
    var series = [{ label: 'time', value: function (u, v) { return v == null ? '–' : clock(v); } }];
    var data = [chart.t];
    for (var i = 0; i < chart.series.length; i++) {
      var s = chart.series[i];
      series.push({
        label: s.label,
        stroke: colorOf(opts.versions, s.version),
        width: 2,
        spanGaps: false,
        points: { show: !opts.stepped && chart.t.length < 80 },
        paths: opts.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined,
        value: function (u, v) { return fmt(v, opts.unit); }
      });
      data.push(s.values);
    }
    var y = { auto: true };
    if (opts.yRange) y = { auto: false, range: opts.yRange };
    var plot = new uPlot({
      title: opts.title,
      width: widthOf(el),
      height: opts.height || 200,
      scales: { x: { time: false, auto: false, range: [0, opts.end] }, y: y },
      series: series,
      axes: [
        { values: function (u, splits) { return splits.map(clock); }, space: 70, incrs: TIME_INCRS },
        { label: opts.unit || '', size: 60 }
      ],
      cursor: cursorOf(opts),
      hooks: {
        draw: [function (u) { drawMarkers(u, opts.markers || [], opts.labels); }],
        setScale: [syncZoom(opts.group)]
      }
    }, data, el);
    if (opts.group) opts.group.push(plot);
    return plot;
  }

  /**
   * An analysis metric's measurements as points coloured by verdict (one series per verdict, so
   * the legend names them), its conditions' thresholds drawn; an Error measurement, which has no
   * value, as a grey mark on the bottom edge.
   */
  function analysisChart(el, a, opts) {
    var verdicts = ['Successful', 'Failed', 'Inconclusive', 'Error'];
    var xs = [], cols = verdicts.map(function () { return []; });
    var errors = [];
    var lo = Infinity, hi = -Infinity;
    for (var i = 0; i < a.points.length; i++) {
      var p = a.points[i];
      xs.push(p.t);
      var v = p.values.length ? p.values[0] : null;
      if (v == null) errors.push(p.t);
      else { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      for (var k = 0; k < verdicts.length; k++) cols[k].push(p.phase === verdicts[k] ? v : null);
    }
    var thresholds = [];
    for (var c = 0; c < a.conditions.length; c++) {
      var cond = a.conditions[c];
      for (var j = 0; j < cond.thresholds.length; j++) {
        var th = cond.thresholds[j];
        lo = Math.min(lo, th.value); hi = Math.max(hi, th.value);
        thresholds.push({
          value: th.value,
          color: cond.condition === 'failureCondition' ? '#d62728' : '#2ca02c',
          text: (cond.condition === 'failureCondition' ? 'fails if ' : 'succeeds if ') + 'result ' + th.op + ' ' + th.value
        });
      }
    }
    if (!isFinite(lo)) { lo = 0; hi = 1; }
    var padY = (hi - lo) * 0.1 || Math.abs(hi) * 0.1 || 1;
    var series = [{ label: 'time', value: function (u, v) { return v == null ? '–' : clock(v); } }];
    var data = [xs];
    for (var k2 = 0; k2 < verdicts.length; k2++) {
      series.push({
        label: verdicts[k2],
        stroke: VERDICT[verdicts[k2]],
        fill: VERDICT[verdicts[k2]],
        width: 0,
        paths: function () { return null; },
        points: { show: true, size: 9, fill: VERDICT[verdicts[k2]], stroke: VERDICT[verdicts[k2]] },
        value: function (u, v) { return fmt(v); }
      });
      data.push(cols[k2]);
    }
    var plot = new uPlot({
      title: opts.title,
      width: widthOf(el),
      height: opts.height || 200,
      scales: {
        x: { time: false, auto: false, range: [0, opts.end] },
        y: { auto: false, range: [lo - padY, hi + padY] }
      },
      series: series,
      axes: [
        { values: function (u, splits) { return splits.map(clock); }, space: 70, incrs: TIME_INCRS },
        { size: 60 }
      ],
      cursor: cursorOf(opts),
      hooks: {
        setScale: [syncZoom(opts.group)],
        draw: [function (u) {
          drawMarkers(u, opts.markers || [], false);
          drawThresholds(u, thresholds);
          var ctx = u.ctx, b = u.bbox, dpr = window.devicePixelRatio || 1;
          ctx.save();
          ctx.strokeStyle = VERDICT.Error;
          ctx.lineWidth = 2 * dpr;
          for (var e = 0; e < errors.length; e++) {
            var x = u.valToPos(errors[e], 'x', true), y0 = b.top + b.height - 6 * dpr;
            ctx.beginPath();
            ctx.moveTo(x - 4 * dpr, y0 - 4 * dpr); ctx.lineTo(x + 4 * dpr, y0 + 4 * dpr);
            ctx.moveTo(x + 4 * dpr, y0 - 4 * dpr); ctx.lineTo(x - 4 * dpr, y0 + 4 * dpr);
            ctx.stroke();
          }
          ctx.restore();
        }]
      }
    }, data, el);
    if (opts.group) opts.group.push(plot);
    return plot;
  }

  return { timeChart: timeChart, analysisChart: analysisChart, clock: clock, colorOf: colorOf };
})();
`;
