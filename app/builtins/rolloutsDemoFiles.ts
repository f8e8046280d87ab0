import {
  ROLLOUTS_DEMO_INDEX_HTML,
  ROLLOUTS_DEMO_MAIN_JS,
  ROLLOUTS_DEMO_STYLE_CSS,
} from '../pages/rolloutsDemoPage.js';
import type { BuiltinAnswer } from './builtinTypes.js';
import { bareRedirect, GO_HTML, goNotFound, pathClean, withQuery } from './goHttp.js';

interface ImageFile {
  contentType: string;
  body: string;
}

/**
 * The files of rollouts-demo's FROM-scratch image, which `http.FileServer(http.Dir("./"))`
 * serves from `/`: the page (canarysim's own index.html, main.js and style.css, behaving as the
 * upstream ones do) and the binary files. Content types are Go 1.16's (the image's builder):
 * by extension, `.js` as application/javascript, and sniffed for the icon and the binary. The
 * binary files' bytes are not carried — an answer's body is text — so they are served empty,
 * with their real status and type; the page never asks for them.
 */
const FILES: Readonly<Record<string, ImageFile>> = {
  'index.html': { contentType: GO_HTML, body: ROLLOUTS_DEMO_INDEX_HTML },
  'main.js': { contentType: 'application/javascript', body: ROLLOUTS_DEMO_MAIN_JS },
  'style.css': { contentType: 'text/css; charset=utf-8', body: ROLLOUTS_DEMO_STYLE_CSS },
  'logo.png': { contentType: 'image/png', body: '' },
  'demo.png': { contentType: 'image/png', body: '' },
  'favicon.ico': { contentType: 'image/x-icon', body: '' },
  'rollouts-demo': { contentType: 'application/octet-stream', body: '' },
};

/** The names FileServer serves at `/<name>`. */
export const ROLLOUTS_DEMO_FILES: readonly string[] = Object.keys(FILES);

/**
 * FileServer's answer for `path` (already cleaned by ServeMux), whatever the method — Go's
 * FileServer does not look at it: `/` is index.html; `…/index.html` redirects to `./`; a file
 * asked for with a trailing slash redirects to `../<name>`; anything else is 404. Conditional
 * and Range requests are not modelled (every answer is the whole file).
 */
export function fileServerAnswer(path: string, query: Readonly<Record<string, string>>): BuiltinAnswer {
  if (path.endsWith('/index.html')) return bareRedirect(withQuery('./', query));
  const name = pathClean(path);
  const serve = (f: ImageFile): BuiltinAnswer => ({
    weight: 1,
    status: 200,
    body: f.body,
    contentType: f.contentType,
    headers: { 'accept-ranges': 'bytes' },
  });
  if (name === '/') return serve(FILES['index.html']!);
  const base = name.slice(1);
  const file = name.lastIndexOf('/') === 0 && Object.hasOwn(FILES, base) ? FILES[base] : undefined;
  if (!file) return goNotFound();
  if (path.endsWith('/')) return bareRedirect(withQuery(`../${base}`, query));
  return serve(file);
}
