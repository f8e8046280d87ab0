// rollouts-demo's web page, canarysim's own: the same behaviour as argoproj/rollouts-demo's
// index.html + main.js + style.css (a grid lit by each /color answer, a bar graph per 5 s,
// sliders that make the backend slow or failing per colour), self-contained so that trainers can
// project it with no network. The image also serves main.js and style.css on their own, as the
// upstream image does; index.html carries the same code inline.

/** The stylesheet (served as /style.css and inlined in index.html). */
export const ROLLOUTS_DEMO_STYLE_CSS = `:root {
  --red: #FB3D3D; --orange: #FB823D; --yellow: #C9FF0D; --green: #3DFB78; --blue: #0B9AFF; --purple: #6D3DFB;
  --error: #9C0303; --empty: #272727; --text: #a0a0a0;
}
* { box-sizing: border-box; }
body { margin: 0; padding: 15px; color: var(--text); background: #010101; font: 14px Menlo, Consolas, "DejaVu Sans Mono", monospace; }
.header { display: flex; align-items: center; gap: 12px; max-width: 700px; margin: 0 auto 1em; }
.header h1 { font-size: 20px; font-weight: 500; margin: 0 auto 0 0; letter-spacing: .04em; }
.accent { color: var(--orange); }
.controls { display: flex; flex-wrap: wrap; justify-content: center; gap: 0 20px; }
.control { width: 500px; max-width: 100%; margin-bottom: .5em; }
.spread { display: flex; align-items: center; justify-content: space-between; min-height: 36px; }
.button { font: inherit; border: 0; padding: 9px 12px; cursor: pointer; color: #fff; }
.button--start { background: #3DFB60; color: rgba(0, 0, 0, .6); }
.button--stop { background: var(--red); }
.button--fit { background: var(--orange); }
.button--selected { box-shadow: inset 0 0 0 3px rgba(0, 0, 0, .35); }
.button[hidden] { display: none; }
.value { color: #fff; }
.colors { display: flex; gap: 5px; min-height: 30px; }
.swatch { width: 30px; height: 30px; border: 0; padding: 0; cursor: pointer; }
.swatch--selected { box-shadow: inset 0 0 0 3px rgba(0, 0, 0, .5); }
input[type=range] { -webkit-appearance: none; appearance: none; width: 100%; height: 10px; margin: 4px 0 2em; background: var(--text); outline: none; }
input[type=range]::-webkit-slider-thumb { -webkit-appearance: none; appearance: none; width: 35px; height: 20px; background: var(--text); border: 7px solid #fff; cursor: pointer; }
input[type=range]::-moz-range-thumb { width: 21px; height: 13px; background: var(--text); border: 7px solid #fff; border-radius: 0; cursor: pointer; }
.grid { display: grid; gap: 5px; width: max-content; margin: 2em auto; }
.pixel { width: 35px; height: 35px; background: var(--empty); transition: background-color .2s ease; }
.pixel--error { box-shadow: inset 0 0 0 3px var(--error); }
.graph { display: flex; gap: 5px; width: max-content; margin: 0 auto; }
.bar { width: 35px; height: 105px; display: flex; flex-direction: column-reverse; overflow: hidden; background: var(--empty); }
.fill { width: 100%; flex: none; box-shadow: inset 0 2px 0 0 #000; }
.fill--error { box-shadow: inset 0 3px 0 0 var(--error), inset 0 -3px 0 0 var(--error); }
`;

/** The script (served as /main.js and inlined in index.html). */
export const ROLLOUTS_DEMO_MAIN_JS = `(() => {
  'use strict';
  const TICK_MS = 20;            // one POST ./color every 20 ms while running
  const LIT_MS = 4000;           // a cell stays lit 4 s
  const CELL = 35, GAP = 5;
  const BUCKET_S = 5;            // one bar per 5 s
  const CAPACITY = (BUCKET_S * 1000) / TICK_MS; // 250 answers fill a bar
  const PALETTE = { red: '#FB3D3D', orange: '#FB823D', yellow: '#C9FF0D', green: '#3DFB78', blue: '#0B9AFF', purple: '#6D3DFB' };
  const ORDER = Object.keys(PALETTE);
  const $ = (id) => document.getElementById(id);
  const paint = (colour) => PALETTE[colour] || colour;

  const colours = new Map();     // colour → { latency, error, swatch } in the order first seen
  let selected = null;
  let timer = 0;
  let resumeOnShow = false;
  const inflight = new Set();
  let cells = [];
  let bars = [];
  let bucket = new Map();

  const columns = () => Math.max(1, Math.round(innerWidth / (CELL + GAP)) - 2);
  const rows = () => Math.min(14, Math.max(4, Math.round(innerHeight / (CELL + GAP)) - 10));

  function layout() {
    const grid = $('grid');
    const cols = columns();
    grid.style.gridTemplateColumns = 'repeat(' + cols + ', 35px)';
    grid.replaceChildren();
    cells = [];
    for (let i = rows() * cols; i > 0; i--) {
      const cell = document.createElement('div');
      cell.className = 'pixel';
      grid.appendChild(cell);
      cells.push({ el: cell, token: 0 });
    }
    const graph = $('graph');
    while (bars.length < cols) {
      const bar = document.createElement('div');
      bar.className = 'bar';
      graph.prepend(bar);
      bars.unshift(bar);
    }
    while (bars.length > cols) bars.shift().remove();
    $('fit').hidden = true;
  }

  function request() {
    if (colours.size === 0) return '[]';
    return JSON.stringify(
      [...colours].map(([color, c]) => ({ color, return500: c.error, delayLength: c.latency })),
    );
  }

  function poll() {
    const ctl = new AbortController();
    inflight.add(ctl);
    fetch('./color', { method: 'POST', body: request(), signal: ctl.signal })
      .then((res) => res.json().then((colour) => record(colour, res.status === 500)))
      .catch(() => {}) // answers that are not JSON, and requests STOP aborted, draw nothing
      .finally(() => inflight.delete(ctl));
  }

  function record(colour, error) {
    if (typeof colour !== 'string' || colour === '') return;
    see(colour);
    const cell = cells[Math.floor(Math.random() * cells.length)];
    if (cell) {
      const token = ++cell.token;
      cell.el.style.backgroundColor = paint(colour);
      cell.el.classList.toggle('pixel--error', error);
      setTimeout(() => {
        if (cell.token !== token) return;
        cell.el.style.backgroundColor = '';
        cell.el.classList.remove('pixel--error');
      }, LIT_MS);
    }
    const n = bucket.get(colour) || { ok: 0, error: 0 };
    n[error ? 'error' : 'ok']++;
    bucket.set(colour, n);
  }

  function see(colour) {
    if (colours.has(colour)) return;
    const swatch = document.createElement('button');
    swatch.className = 'swatch';
    swatch.title = colour;
    swatch.style.backgroundColor = paint(colour);
    swatch.addEventListener('click', () => select(colour));
    $('colors').appendChild(swatch);
    colours.set(colour, { latency: 0, error: 0, swatch });
    if (selected === null) select(colour);
  }

  function select(colour) {
    if (selected !== null) colours.get(selected).swatch.classList.remove('swatch--selected');
    selected = colour;
    const c = colours.get(colour);
    c.swatch.classList.add('swatch--selected');
    $('latency').value = c.latency;
    $('error').value = c.error;
    labels();
  }

  function labels() {
    const c = colours.get(selected) || { latency: 0, error: 0 };
    $('latency-label').textContent = c.latency.toFixed(1) + 's';
    $('error-label').textContent = c.error + '%';
  }

  function slider(id, key, parse) {
    $(id).addEventListener('input', (e) => {
      if (selected === null) return;
      colours.get(selected)[key] = parse(e.target.value);
      labels();
    });
  }

  function tick() {
    const bar = document.createElement('div');
    bar.className = 'bar';
    const seen = [...bucket.keys()].sort((a, b) => rank(a) - rank(b));
    for (const colour of seen) {
      const n = bucket.get(colour);
      for (const error of [false, true]) {
        const count = error ? n.error : n.ok;
        if (count === 0) continue;
        const fill = document.createElement('div');
        fill.className = error ? 'fill fill--error' : 'fill';
        fill.style.backgroundColor = paint(colour);
        fill.style.height = Math.min(100, (100 * count) / CAPACITY) + '%';
        fill.title = colour + ': ' + count + (error ? ' errors' : ' ok');
        bar.appendChild(fill);
      }
    }
    bucket = new Map();
    if (bars.length > 0) bars.shift().remove();
    $('graph').appendChild(bar);
    bars.push(bar);
  }

  const rank = (c) => (ORDER.indexOf(c) + ORDER.length + 1) % (ORDER.length + 1);

  function start() {
    if (!timer) timer = setInterval(poll, TICK_MS);
    $('start').classList.add('button--selected');
    $('stop').classList.remove('button--selected');
  }

  function stop() {
    clearInterval(timer);
    timer = 0;
    for (const ctl of inflight) ctl.abort();
    $('stop').classList.add('button--selected');
    $('start').classList.remove('button--selected');
  }

  $('start').addEventListener('click', start);
  $('stop').addEventListener('click', stop);
  $('fit').addEventListener('click', layout);
  slider('latency', 'latency', parseFloat);
  slider('error', 'error', (v) => parseInt(v, 10));
  addEventListener('resize', () => { $('fit').hidden = false; });
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) {
      resumeOnShow = timer !== 0;
      stop();
    } else if (resumeOnShow) start();
  });
  layout();
  labels();
  setInterval(tick, BUCKET_S * 1000);
  start();
})();
`;

const LOGO = `<svg width="40" height="40" viewBox="0 0 40 40" aria-hidden="true">
<rect x="2" y="24" width="8" height="14" fill="#FB3D3D"/><rect x="12" y="16" width="8" height="22" fill="#FB823D"/>
<rect x="22" y="8" width="8" height="30" fill="#C9FF0D"/><rect x="32" y="2" width="6" height="36" fill="#3DFB78"/>
</svg>`;

/** The page at `/` (and FileServer's /index.html target): self-contained, no external resources. */
export const ROLLOUTS_DEMO_INDEX_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rollouts Demo</title>
<link rel="icon" href="data:,">
<style>
${ROLLOUTS_DEMO_STYLE_CSS}</style>
</head>
<body>
<header class="header">
${LOGO}
<h1>ARGO ROLLOUTS <span class="accent">DEMO</span></h1>
<button id="fit" class="button button--fit" hidden>FIT</button>
</header>
<section class="controls">
<div class="control spread"><span>COLOR</span><div id="colors" class="colors"></div></div>
<div class="control spread"><button id="start" class="button button--start">START</button><button id="stop" class="button button--stop">STOP</button></div>
<div class="control"><div class="spread"><label for="latency">LATENCY</label><span id="latency-label" class="value">0.0s</span></div>
<input id="latency" type="range" min="0" max="5" step="0.1" value="0"></div>
<div class="control"><div class="spread"><label for="error">ERROR</label><span id="error-label" class="value">0%</span></div>
<input id="error" type="range" min="0" max="100" step="1" value="0"></div>
</section>
<main id="grid" class="grid"></main>
<div id="graph" class="graph"></div>
<script>
${ROLLOUTS_DEMO_MAIN_JS}</script>
</body>
</html>
`;
