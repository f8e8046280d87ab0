import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

let uplot: { js: string; css: string } | undefined;

/** uPlot 1.6.32's browser build and stylesheet, read once from its package (inlined in every page). */
export function uplotAssets(): { js: string; css: string } {
  if (!uplot) {
    const require = createRequire(import.meta.url);
    const read = (p: string) => readFileSync(require.resolve(p), 'utf8');
    uplot = { js: read('uplot/dist/uPlot.iife.min.js'), css: read('uplot/dist/uPlot.min.css') };
  }
  return uplot;
}

/** Text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Data for a page's scripts: JSON in a `<script type="application/json">`, with `<` escaped so
 * no string in it can close the element.
 */
export function jsonScript(id: string, data: unknown): { json: string; id: string } {
  return { id, json: JSON.stringify(data).replace(/</g, '\\u003c') };
}

/**
 * A self-contained page: uPlot's stylesheet and script inlined with the page's own, nothing
 * fetched when it is opened (a Content-Security-Policy forbids it), no clock: same input, same bytes.
 */
export function htmlPage(p: {
  title: string;
  css: string;
  body: string;
  scripts: readonly (string | { json: string; id: string })[];
  /** Inline uPlot (default true); a page of tables needs none of it. */
  uplot?: boolean;
}): string {
  const { js, css } = p.uplot === false ? { js: '', css: '' } : uplotAssets();
  const scripts = p.scripts
    .map((s) =>
      typeof s === 'string'
        ? `<script>${s}</script>`
        : `<script type="application/json" id="${s.id}">${s.json}</script>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="canarysim">
<title>${escapeHtml(p.title)}</title>
${css ? `<style>${css}</style>\n` : ''}<style>${p.css}</style>
</head>
<body>
${p.body}
${js ? `<script>${js}</script>\n` : ''}${scripts}
</body>
</html>
`;
}
