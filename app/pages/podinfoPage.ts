import { goHtmlEscape } from '../builtins/goHttp.js';
import { goJsonString } from '../builtins/goJsonEncode.js';

/** What podinfo's UI shows: the values of `/api/info` at render time. */
export interface PodinfoPageInfo {
  hostname: string;
  version: string;
  revision: string;
  color: string;
  logo: string;
  message: string;
  /** `--prefix` without its trailing slash (`` for `/`). */
  prefix: string;
}

/**
 * podinfo's UI (`GET /` from a browser), canarysim's own page with the upstream one's behaviour:
 * the message and logo on the UI colour, "Served by <pod>", a Ping button that POSTs to
 * `<prefix>/api/echo`, and `<prefix>/api/info` polled every 3 s — so during a rollout the page
 * shows which pod and version answered, and the last two versions on a small timeline (blue for
 * an even patch number, green for odd, as upstream). No external resources besides the logo.
 */
export function podinfoPage(info: PodinfoPageInfo): string {
  const h = goHtmlEscape;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(info.hostname)}</title>
<link rel="icon" href="data:,">
<style>
html, body { margin: 0; height: 100%; font: 16px system-ui, Roboto, sans-serif; color: #fff; }
body { display: flex; flex-direction: column; background: ${h(info.color)}; transition: background-color .5s; }
main { flex: 1; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 12px; text-align: center; padding: 24px; }
img { max-height: 300px; max-width: 80vw; }
h1 { font-weight: 400; font-size: 34px; margin: 8px 0 0; }
button { font: inherit; font-weight: 500; color: #fff; background: #d32f2f; border: 0; border-radius: 4px; padding: 12px 24px; cursor: pointer; position: relative; }
.badge { position: absolute; left: -10px; top: -10px; background: #f44336; border-radius: 12px; min-width: 24px; padding: 2px 6px; font-size: 13px; }
.timeline { display: flex; gap: 48px; margin-top: 16px; }
.dot { width: 16px; height: 16px; border-radius: 50%; margin: 0 auto 6px; background: #9e9e9e; }
.blue { background: #2196f3; } .green { background: #4caf50; } .old { opacity: .45; }
footer { background: #1976d2; padding: 12px 16px; font-size: 14px; }
footer a { color: #fff; }
</style>
</head>
<body>
<main>
<img id="logo" src="${h(info.logo)}" alt="">
<h1 id="message">${h(info.message)}</h1>
<div>Served by <b id="hostname">${h(info.hostname)}</b></div>
<button id="ping"><span class="badge" id="pings">0</span>Ping</button>
<div class="timeline"><div id="tl0"><div class="dot"></div><b></b></div><div id="tl1"><div class="dot"></div><b></b></div></div>
</main>
<footer>Powered by <a href="https://github.com/stefanprodan/podinfo">podinfo</a>
version <span id="version">${h(info.version)}</span> revision <span id="revision">${h(info.revision)}</span>
· Swagger <a href="${h(info.prefix)}/swagger/">docs</a></footer>
<script>
(() => {
  const prefix = ${goJsonString(info.prefix)};
  const $ = (id) => document.getElementById(id);
  let calls = 0;
  let pings = 0;
  function show(data) {
    document.body.style.backgroundColor = data.color;
    document.title = data.hostname;
    $('message').textContent = data.message;
    $('hostname').textContent = data.hostname;
    $('version').textContent = data.version;
    $('revision').textContent = data.revision;
    if ($('logo').getAttribute('src') !== data.logo) $('logo').src = data.logo;
    const patch = parseInt(String(data.version).split('.').pop(), 10);
    const slot = $('tl' + (calls % 2));
    const other = $('tl' + ((calls + 1) % 2));
    slot.querySelector('.dot').className = 'dot ' + (patch % 2 === 0 ? 'blue' : 'green');
    slot.querySelector('b').textContent = data.version;
    slot.classList.remove('old');
    other.classList.add('old');
    calls++;
  }
  function poll() {
    fetch(prefix + '/api/info').then((r) => r.json()).then(show).catch(() => {});
  }
  $('ping').addEventListener('click', () => {
    fetch(prefix + '/api/echo', { method: 'POST', headers: { 'Content-Type': 'application/json; charset=UTF-8' }, body: JSON.stringify({ ping: Date.now() }) })
      .then(() => { pings++; $('pings').textContent = String(pings); })
      .catch(() => {});
  });
  poll();
  setInterval(poll, 3000);
})();
</script>
</body>
</html>
`;
}
