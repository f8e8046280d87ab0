/**
 * The browser view of `canarysim serve`, at the API port's `/`: one self-contained page (no CDN,
 * no fonts or scripts from elsewhere; the Content-Security-Policy in livePageResponse lets it
 * load nothing but its own API). It reads the event stream at /canarysim/v1/events (see
 * liveFeed.ts) and drives the control API with the same requests the CLI sends. Its script is
 * plain ES5-style JavaScript in a string: it never passes through tsc or esbuild, so what is
 * here is what the browser runs.
 */

const STYLE = String.raw`
*{box-sizing:border-box}
body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:#111827;background:#f9fafb}
header{display:flex;gap:12px;align-items:center;flex-wrap:wrap;padding:8px 16px;background:#111827;color:#f9fafb}
header h1{font-size:18px;margin:0 12px 0 0}
header .clock{font:600 16px ui-monospace,monospace}
body.paused header{background:#7c2d12}
button{font:inherit;padding:4px 10px;border:1px solid #9ca3af;border-radius:6px;background:#fff;cursor:pointer}
button:hover{background:#e5e7eb}
header button{background:#374151;color:#f9fafb;border-color:#4b5563}
#message.ok{color:#16a34a}#message.bad{color:#dc2626}
header #message.ok{color:#86efac}header #message.bad{color:#fca5a5}
#conn.ok{color:#86efac}#conn.bad{color:#fca5a5}
main{display:grid;grid-template-columns:minmax(320px,2fr) 3fr;gap:16px;padding:16px}
#traffic{display:flex;flex-direction:column;gap:8px}
#bubbles{width:100%;height:420px;background:#fff;border:1px solid #e5e7eb;border-radius:8px}
table{border-collapse:collapse;width:100%;background:#fff}
td,th{padding:3px 8px;border-bottom:1px solid #e5e7eb;text-align:left}
.num{text-align:right;font-variant-numeric:tabular-nums}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px;vertical-align:middle}
section.rollout{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px 16px;margin-bottom:16px}
section.rollout h2{margin:0 0 4px;font-size:17px}
h3{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:#6b7280;margin:12px 0 4px}
.controls{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0}
.grid{display:grid;grid-template-columns:1fr 1.4fr;gap:16px}
ol.steps{margin:0;padding-left:28px}
ol.steps li{padding:2px 6px;border-radius:4px;cursor:pointer;color:#6b7280}
ol.steps li.done{color:#111827}
ol.steps li.current{background:#fde68a;color:#111827;font-weight:600}
.hold{background:#7c2d12;color:#fff;border-radius:4px;padding:0 4px;font-size:11px}
.bar{display:flex;height:22px;border-radius:4px;overflow:hidden;background:#e5e7eb;margin:2px 0 6px}
.seg{color:#fff;font-size:12px;white-space:nowrap;overflow:hidden;padding:2px 4px;transition:width .4s}
.vs,.kv{font-size:12px;color:#374151}
.rs{margin:4px 0;font-size:13px}
.pods{display:flex;gap:3px;margin:2px 0 0 16px;flex-wrap:wrap}
.pod{width:14px;height:14px;border:2px solid;border-radius:3px}
.pod.unready{background:#fff}
.muted{color:#6b7280}
.phase{font-weight:600}
.phase.Healthy,.phase.Successful{color:#16a34a}.phase.Degraded,.phase.Failed,.phase.Error{color:#dc2626}.phase.Paused,.phase.Inconclusive{color:#b45309}.phase.Progressing,.phase.Running{color:#2563eb}
.run{margin:6px 0;padding:6px;border:1px solid #e5e7eb;border-radius:6px}
.metric{font-size:12px;margin-top:3px}
.m{display:inline-block;min-width:38px;margin:1px;padding:0 4px;border-radius:3px;font:11px ui-monospace,monospace;text-align:center;background:#e5e7eb}
.m.Successful{background:#bbf7d0}.m.Failed{background:#fecaca}.m.Error{background:#fed7aa}.m.Inconclusive{background:#fef08a}
button.fault.on{border-color:#dc2626;background:#fee2e2;color:#991b1b;font-weight:600}
#empty{padding:24px;color:#6b7280}
`;

const BODY = String.raw`
<header>
  <h1>canarysim live</h1>
  <span class="clock" id="clock">--:--:--</span>
  <span>speed <b id="speed">?</b></span>
  <button id="pause">pause</button>
  <span id="speeds"><button data-speed="0.5">0.5×</button><button data-speed="1">1×</button><button data-speed="2">2×</button><button data-speed="5">5×</button><button data-speed="10">10×</button><button data-speed="30">30×</button></span>
  <button id="reset">reset</button>
  <span id="conn">connecting…</span>
  <span id="message"></span>
</header>
<main>
  <div id="traffic">
    <canvas id="bubbles" aria-label="one bubble per request, in the colour of the version that answered; ringed red on a 5xx"></canvas>
    <table id="counts"></table>
  </div>
  <div id="rollouts"><div id="empty">No rollouts yet: <code>canarysim apply -n NS -k DIR</code> one.</div></div>
</main>`;

const SCRIPT = String.raw`
'use strict';
var API = '/canarysim/v1';
var PALETTE = ['#3b82f6', '#f59e0b', '#10b981', '#a855f7', '#ec4899', '#14b8a6', '#84cc16', '#f97316'];
var NAMED = { blue: '#3b82f6', yellow: '#eab308', red: '#ef4444', green: '#22c55e', purple: '#a855f7', orange: '#f97316', pink: '#ec4899', cyan: '#06b6d4' };
var live = (window.__live = { bubbles: 0, redBubbles: 0, ticks: 0, states: 0 });
var state = null;
var keys = [];
var colours = {};
var nextColour = 0;
var rates = {};
var prevCounts = null;
var prevAt = 0;
var floating = [];

function esc(s) {
  return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
    return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
  });
}
function $(id) { return document.getElementById(id); }
function tagOf(image) { if (!image) return ''; var i = image.lastIndexOf(':'); return i < 0 ? image : image.slice(i + 1); }
function colourOfImage(image) {
  if (!image) return '#9ca3af';
  if (colours[image]) return colours[image];
  // Argo's rollouts-demo images are named after the colour they draw (blue, bad-yellow, slow-red).
  var named = NAMED[tagOf(image).replace(/^(bad|slow)-/, '')];
  colours[image] = named || PALETTE[nextColour++ % PALETTE.length];
  return colours[image];
}
function versionOf(key) { return (state && state.versions[key]) || null; }
function colourOfKey(key) {
  if (key === 'gateway') return '#9ca3af';
  var v = versionOf(key);
  return colourOfImage(v && v.image);
}
function labelOfKey(key) {
  if (key === 'gateway') return 'gateway (Envoy\u2019s own answers)';
  var v = versionOf(key);
  var rs = key.slice(key.indexOf('/') + 1);
  return (v && v.image ? tagOf(v.image) : rs) + (v && v.revision != null ? ' (rev ' + v.revision + ')' : '');
}

function post(path, body) {
  return fetch(API + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body || {}) })
    .then(function (r) {
      return r.json().then(function (d) {
        if (!r.ok) throw new Error(d.error || 'HTTP ' + r.status);
        return d;
      });
    })
    .then(function (d) { say(d.message || 'ok', false); return d; }, function (e) { say(e.message, true); });
}
function say(text, bad) {
  var el = $('message');
  el.textContent = text;
  el.className = bad ? 'bad' : 'ok';
}

// ---- bubbles ----
var canvas = $('bubbles');
var ctx = canvas.getContext('2d');
function resize() {
  var r = canvas.getBoundingClientRect();
  canvas.width = Math.max(1, Math.round(r.width * devicePixelRatio));
  canvas.height = Math.max(1, Math.round(r.height * devicePixelRatio));
}
window.addEventListener('resize', resize);
function addBubbles(tick) {
  var w = canvas.width, h = canvas.height;
  for (var i = 0; i < tick.bubbles.length; i++) {
    var b = tick.bubbles[i];
    var key = tick.keys[b[0]];
    var bad = b[1] >= 500;
    live.bubbles++;
    if (bad) live.redBubbles++;
    floating.push({ x: Math.random() * w, y: h + 10, r: (6 + Math.random() * 6) * devicePixelRatio, c: colourOfKey(key), bad: bad, born: performance.now(), v: (0.6 + Math.random() * 0.8) * h / 4000 });
  }
  if (floating.length > 2000) floating.splice(0, floating.length - 2000);
}
function draw(now) {
  var w = canvas.width, h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  var keep = [];
  for (var i = 0; i < floating.length; i++) {
    var b = floating[i];
    var age = now - b.born;
    var y = b.y - age * b.v;
    if (y < -20) continue;
    keep.push(b);
    ctx.globalAlpha = Math.max(0.15, Math.min(1, y / h + 0.2));
    ctx.beginPath();
    ctx.arc(b.x, y, b.r, 0, Math.PI * 2);
    ctx.fillStyle = b.c;
    ctx.fill();
    if (b.bad) {
      ctx.lineWidth = 3 * devicePixelRatio;
      ctx.strokeStyle = '#dc2626';
      ctx.stroke();
    }
  }
  ctx.globalAlpha = 1;
  floating = keep;
  requestAnimationFrame(draw);
}

function onTick(tick) {
  live.ticks++;
  keys = tick.keys;
  $('clock').textContent = new Date(tick.now).toISOString().slice(11, 19);
  var at = performance.now();
  if (prevCounts && at > prevAt) {
    for (var k in tick.counts) {
      var before = prevCounts[k] || [0, 0];
      // A reset starts the counters again: a negative difference is no rate.
      var r = Math.max(0, ((tick.counts[k][0] - before[0]) * 1000) / (at - prevAt));
      rates[k] = rates[k] == null ? r : rates[k] * 0.8 + r * 0.2;
    }
  }
  prevCounts = JSON.parse(JSON.stringify(tick.counts));
  prevAt = at;
  addBubbles(tick);
  var rows = Object.keys(tick.counts).map(function (k) {
    var c = tick.counts[k];
    return '<tr data-version="' + esc(k) + '"><td><span class="dot" style="background:' + colourOfKey(k) + '"></span>' + esc(labelOfKey(k)) +
      '</td><td class="num requests">' + c[0] + '</td><td class="num errors">' + c[1] + '</td><td class="num">' + (c[0] ? ((100 * c[1]) / c[0]).toFixed(1) : '0.0') +
      ' %</td><td class="num">' + (rates[k] || 0).toFixed(0) + '/s</td></tr>';
  });
  $('counts').innerHTML = '<tr><th>version</th><th>requests</th><th>5xx</th><th>errors</th><th>rate</th></tr>' + rows.join('');
}

// ---- state ----
function stepsHtml(ro) {
  var idx = ro.state.stepIndex;
  return '<ol class="steps">' + ro.steps.map(function (s, i) {
    var cls = idx == null ? '' : i < idx ? 'done' : i === idx ? 'current' : '';
    var hold = ro.holdAt === i ? ' <span class="hold">hold</span>' : '';
    return '<li data-step="' + i + '" class="' + cls + '" title="click: hold the rollout when it reaches this step">' + esc(s) + hold + '</li>';
  }).join('') + '</ol>';
}
function rsOfService(ro, host) {
  var canary = ro.canaryService && host.indexOf(ro.canaryService) === 0;
  var flag = canary ? 'canary' : 'stable';
  for (var i = 0; i < ro.view.revisions.length; i++)
    for (var j = 0; j < ro.view.revisions[i].replicaSets.length; j++) {
      var rs = ro.view.revisions[i].replicaSets[j];
      if (rs[flag]) return ro.namespace + '/' + rs.name;
    }
  return null;
}
function weightsHtml(ro) {
  var parts = ro.view.strategy === 'Canary' ? ['<div class="kv">SetWeight ' + esc(ro.view.setWeight) + ' \u00b7 ActualWeight ' + esc(ro.view.actualWeight) + '</div>'] : [];
  if (!ro.weights.length) parts.push('<div class="muted">no VirtualService routes</div>');
  ro.weights.forEach(function (w) {
    var total = w.destinations.reduce(function (a, d) { return a + d.weight; }, 0) || 1;
    parts.push('<div class="vs">' + esc(w.virtualService) + (w.route ? ' / ' + esc(w.route) : '') + '</div><div class="bar">' +
      w.destinations.map(function (d) {
        var key = rsOfService(ro, d.host);
        return '<span class="seg" style="width:' + (100 * d.weight) / total + '%;background:' + colourOfKey(key) + (d.weight ? '' : ';padding:0') + '" title="' + esc(d.host) + '">' + (d.weight ? esc(d.host.split('.')[0]) + ' ' + d.weight : '') + '</span>';
      }).join('') + '</div>');
  });
  return parts.join('');
}
function podsHtml(ro) {
  return ro.view.revisions.slice().reverse().map(function (rev) {
    return rev.replicaSets.map(function (rs) {
      var key = ro.namespace + '/' + rs.name;
      var badge = [rs.stable ? 'stable' : '', rs.canary ? 'canary' : ''].filter(Boolean).join(', ');
      return '<div class="rs"><span class="dot" style="background:' + colourOfKey(key) + '"></span>rev ' + rev.revision + ' ' + esc(rs.name) +
        (badge ? ' <b>' + badge + '</b>' : '') + ' <span class="muted">' + esc(rs.status) + '</span><div class="pods">' +
        rs.pods.map(function (p) {
          var ready = p.ready.split('/');
          var ok = ready[0] === ready[1];
          return '<span class="pod' + (ok ? '' : ' unready') + '" style="border-color:' + colourOfKey(key) + ';' + (ok ? 'background:' + colourOfKey(key) : '') + '" title="' + esc(p.name + ' ' + p.status + ' ' + p.ready) + '"></span>';
        }).join('') + '</div></div>';
    }).join('');
  }).join('');
}
function runsHtml(ro) {
  if (!ro.runs.length) return '<div class="muted">no analysis runs</div>';
  return ro.runs.slice(-4).reverse().map(function (run) {
    var byMetric = {};
    run.measurements.forEach(function (m) { (byMetric[m.metric] = byMetric[m.metric] || []).push(m); });
    return '<div class="run"><div><b>' + esc(run.name) + '</b> <span class="phase ' + esc(run.phase) + '">' + esc(run.phase || 'Pending') + '</span> <span class="muted">' + esc(run.message) + '</span></div>' +
      Object.keys(byMetric).map(function (name) {
        return '<div class="metric">' + esc(name) + ': ' + byMetric[name].slice(-12).map(function (m) {
          var v = Number(m.value);
          var shown = m.value === '' ? '\u2013' : isFinite(v) && String(v) === m.value.trim() ? String(Math.round(v * 1000) / 1000) : m.value.slice(0, 24);
          return '<span class="m ' + esc(m.phase) + '" title="' + esc(m.phase + ' ' + m.value) + '">' + esc(shown) + '</span>';
        }).join('') + '</div>';
      }).join('') + '</div>';
  }).join('');
}
function imagesOf(ro) {
  var seen = [];
  ro.view.revisions.forEach(function (rev) {
    rev.replicaSets.forEach(function (rs) {
      var v = state.versions[ro.namespace + '/' + rs.name];
      if (v && v.image && seen.indexOf(v.image) < 0 && rs.pods.length) seen.push(v.image);
    });
  });
  return seen;
}
function faultsHtml(ro) {
  return imagesOf(ro).map(function (image) {
    var on = state.faults.some(function (f) { return f.image === image; });
    return '<button class="fault' + (on ? ' on' : '') + '" data-image="' + esc(image) + '" data-on="' + on + '"><span class="dot" style="background:' + colourOfImage(image) + '"></span>' +
      esc(tagOf(image)) + ': fault ' + (on ? 'ON \u2013 click to clear' : 'off') + '</button>';
  }).join(' ');
}
function panelFor(ro) {
  var id = 'ro-' + ro.namespace + '-' + ro.name;
  var el = document.getElementById(id);
  if (el) return el;
  el = document.createElement('section');
  el.id = id;
  el.className = 'rollout';
  el.dataset.namespace = ro.namespace;
  el.dataset.name = ro.name;
  el.innerHTML = '<h2></h2><div class="status"></div>' +
    '<div class="controls"><button data-act="promote">promote</button><button data-act="promote-full">promote --full</button>' +
    '<button data-act="abort">abort</button><button data-act="retry">retry</button>' +
    '<span class="group"><input class="image" size="34" placeholder="image, e.g. ghcr.io/vfarcic/silly-demo:1.4.127"><button data-act="image">set image</button></span></div>' +
    '<div class="grid"><div><h3>Steps</h3><div class="steps-box"></div></div><div><h3>Weights</h3><div class="weights"></div><h3>Pods per revision</h3><div class="podlist"></div></div></div>' +
    '<h3>Faults <span class="muted">(errors <input class="share" size="4" value="50%"> status <input class="code" size="3" value="503">)</span></h3><div class="faults"></div>' +
    '<h3>Analysis runs</h3><div class="runs"></div>';
  el.addEventListener('click', function (e) {
    var t = e.target.closest('button, li[data-step]');
    if (!t) return;
    var base = '/rollouts/' + encodeURIComponent(ro.namespace) + '/' + encodeURIComponent(ro.name);
    var act = t.dataset.act;
    if (act === 'promote') post(base + '/promote', {});
    else if (act === 'promote-full') post(base + '/promote', { full: true });
    else if (act === 'abort') post(base + '/abort');
    else if (act === 'retry') post(base + '/retry');
    else if (act === 'image') {
      var image = el.querySelector('input.image').value.trim();
      var cur = findRollout(el.dataset.namespace, el.dataset.name);
      if (!image) return say('type an image first', true);
      post(base + '/image', { container: (cur && cur.container) || '', image: image });
    } else if (t.classList.contains('fault')) {
      var img = t.dataset.image;
      if (t.dataset.on === 'true') post('/faults/clear', { image: img });
      else {
        var code = Number(el.querySelector('input.code').value);
        post('/faults', { image: img, errors: { share: el.querySelector('input.share').value.trim(), status: code } });
      }
    } else if (t.dataset.step != null) {
      var cur2 = findRollout(el.dataset.namespace, el.dataset.name);
      var step = Number(t.dataset.step);
      post(base + '/hold', { step: cur2 && cur2.holdAt === step ? null : step });
    }
  });
  $('rollouts').appendChild(el);
  return el;
}
function findRollout(ns, name) {
  return state && state.rollouts.filter(function (r) { return r.namespace === ns && r.name === name; })[0];
}
function onState(s) {
  live.states++;
  state = s;
  var st = s.status;
  $('speed').textContent = st.paused ? 'paused' : st.speed + '\u00d7';
  $('pause').textContent = st.paused ? 'resume' : 'pause';
  document.body.classList.toggle('paused', !!st.paused);
  var wanted = {};
  s.rollouts.forEach(function (ro) {
    // Colours in revision order, so the stable keeps the first colour.
    ro.view.revisions.slice().sort(function (a, b) { return a.revision - b.revision; }).forEach(function (rev) {
      rev.replicaSets.forEach(function (rs) { var v = s.versions[ro.namespace + '/' + rs.name]; if (v) colourOfImage(v.image); });
    });
    var el = panelFor(ro);
    wanted[el.id] = true;
    el.querySelector('h2').textContent = ro.namespace + '/' + ro.name;
    el.querySelector('.status').innerHTML = '<span class="phase ' + esc(ro.view.status) + '">' + esc(ro.view.status) + '</span> ' + esc(ro.view.message) +
      ' <span class="muted">Step ' + esc(ro.view.step || '\u2013') + '</span>';
    el.querySelector('.steps-box').innerHTML = ro.steps.length ? stepsHtml(ro) : '<div class="muted">no steps</div>';
    el.querySelector('.weights').innerHTML = weightsHtml(ro);
    el.querySelector('.podlist').innerHTML = podsHtml(ro);
    el.querySelector('.faults').innerHTML = faultsHtml(ro);
    el.querySelector('.runs').innerHTML = runsHtml(ro);
    var input = el.querySelector('input.image');
    if (!input.value && ro.view.images.length) input.placeholder = ro.view.images[0].image;
  });
  Array.prototype.forEach.call(document.querySelectorAll('section.rollout'), function (el) { if (!wanted[el.id]) el.remove(); });
  $('empty').style.display = s.rollouts.length ? 'none' : '';
}

// ---- clock controls ----
$('pause').addEventListener('click', function () { post('/clock', { paused: !(state && state.status.paused) }); });
$('speeds').addEventListener('click', function (e) {
  var t = e.target.closest('button[data-speed]');
  if (t) post('/clock', { speed: Number(t.dataset.speed) });
});
$('reset').addEventListener('click', function () {
  if (confirm('Start the world again from the manifests as first applied?')) post('/reset');
});

function connect() {
  var es = new EventSource(API + '/events');
  es.addEventListener('state', function (e) { onState(JSON.parse(e.data)); $('conn').textContent = 'live'; $('conn').className = 'ok'; });
  es.addEventListener('tick', function (e) { onTick(JSON.parse(e.data)); });
  es.onerror = function () { $('conn').textContent = 'reconnecting\u2026'; $('conn').className = 'bad'; };
}
resize();
requestAnimationFrame(draw);
connect();
`;

/** The page's HTML. */
export const LIVE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>canarysim live</title>
<style>${STYLE}</style>
</head>
<body>${BODY}
<script>${SCRIPT}</script>
</body>
</html>
`;

/**
 * What the page may load: nothing but itself and its API (inline style and script are its own;
 * connect-src 'self' is the event stream and the control API).
 */
export const LIVE_PAGE_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
