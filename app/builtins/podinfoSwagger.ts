import { PODINFO_SWAGGER_PAGE } from '../pages/podinfoSwaggerPage.js';
import type { BuiltinAnswer } from './builtinTypes.js';
import { goNotFound, goRedirect, httpError } from './goHttp.js';
import { goJsonIndent, goMap, goStruct, type GoJsonValue } from './goJsonEncode.js';

/** The operations podinfo's swagger annotations document (pkg/api/http/docs), path → method → summary. */
const OPERATIONS: ReadonlyArray<readonly [string, string, string]> = [
  ['/', 'get', 'Index'],
  ['/api/echo', 'post', 'Echo'],
  ['/api/info', 'get', 'Runtime information'],
  ['/cache/{key}', 'delete', 'Delete payload from cache'],
  ['/cache/{key}', 'get', 'Get payload from cache'],
  ['/cache/{key}', 'post', 'Save payload in cache'],
  ['/chunked/{seconds}', 'get', 'Chunked transfer encoding'],
  ['/delay/{seconds}', 'get', 'Delay'],
  ['/env', 'get', 'Environment'],
  ['/fault_injection/disable', 'post', 'Disable fault injection'],
  ['/fault_injection/enable', 'post', 'Enable fault injection'],
  ['/fault_injection/status', 'get', 'Get fault injection status'],
  ['/headers', 'get', 'Headers'],
  ['/healthz', 'get', 'Liveness check'],
  ['/metrics', 'get', 'Prometheus metrics'],
  ['/panic', 'get', 'Panic'],
  ['/readyz', 'get', 'Readiness check'],
  ['/readyz/disable', 'post', 'Disable ready state'],
  ['/readyz/enable', 'post', 'Enable ready state'],
  ['/status/{code}', 'get', 'Status code'],
  ['/store', 'post', 'Upload file'],
  ['/store/{hash}', 'get', 'Download file'],
  ['/token', 'post', 'Generate JWT token'],
  ['/token/validate', 'post', 'Validate JWT token'],
  ['/version', 'get', 'Version'],
  ['/ws/echo', 'post', 'Echo over websockets'],
];

/**
 * podinfo's Swagger 2.0 document with `basePath` set to the prefix, as swag.ReadDoc gives it:
 * canarysim's own rendering of the same facts (title, version, operations and summaries), not
 * the generated file byte for byte.
 */
export function podinfoSwaggerDoc(prefix: string): string {
  const paths = new Map<string, Record<string, GoJsonValue>>();
  for (const [path, method, summary] of OPERATIONS) {
    const ops = paths.get(path) ?? {};
    ops[method] = goStruct([
      ['tags', ['HTTP API']],
      ['summary', summary],
    ]);
    paths.set(path, ops);
  }
  return goJsonIndent(
    goStruct([
      ['schemes', ['http', 'https']],
      ['swagger', '2.0'],
      [
        'info',
        goStruct([
          ['description', 'Go microservice template for Kubernetes.'],
          ['title', 'Podinfo API'],
          [
            'contact',
            goStruct([
              ['name', 'Source Code'],
              ['url', 'https://github.com/stefanprodan/podinfo'],
            ]),
          ],
          [
            'license',
            goStruct([
              ['name', 'MIT License'],
              ['url', 'https://github.com/stefanprodan/podinfo/blob/master/LICENSE'],
            ]),
          ],
          ['version', '2.0'],
        ]),
      ],
      ['basePath', prefix],
      ['paths', new Map([...paths].map(([p, ops]) => [p, goMap(ops)] as const))],
    ]),
  );
}

/** Swagger UI's own files (swaggo/files), which http-swagger serves from memory; canarysim carries none of their bytes. */
const UI_FILES: Readonly<Record<string, string>> = {
  'favicon-16x16.png': 'image/png',
  'favicon-32x32.png': 'image/png',
  'oauth2-redirect.html': 'text/html; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui.js': 'application/javascript',
  'swagger-ui-bundle.js': 'application/javascript',
  'swagger-ui-standalone-preset.js': 'application/javascript',
};

/**
 * http-swagger v1.3.4 under `<prefix>/swagger/`: GET only (else 405 "Method not allowed");
 * the directory redirects to index.html; index.html and doc.json are rendered; Swagger UI's
 * assets answer with their type and an empty body.
 */
export function swaggerAnswer(method: string, rest: string, prefix: string): BuiltinAnswer {
  if (method !== 'GET') return httpError(405, 'Method not allowed');
  const base = `${prefix === '/' ? '' : prefix}/swagger/`;
  if (rest === '') return goRedirect(method, `${base}index.html`);
  if (rest === 'index.html')
    return { weight: 1, status: 200, body: PODINFO_SWAGGER_PAGE, contentType: 'text/html; charset=utf-8' };
  if (rest === 'doc.json')
    return {
      weight: 1,
      status: 200,
      body: podinfoSwaggerDoc(prefix),
      contentType: 'application/json; charset=utf-8',
    };
  if (Object.hasOwn(UI_FILES, rest))
    return { weight: 1, status: 200, body: '', contentType: UI_FILES[rest]! };
  return goNotFound();
}
