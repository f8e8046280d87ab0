// The page podinfo's /swagger/index.html serves (http-swagger renders Swagger UI there from
// assets canarysim does not carry): canarysim's own small reader of the same doc.json.

/** `/swagger/index.html`: lists the operations of `doc.json` (fetched relative to the page). */
export const PODINFO_SWAGGER_PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Swagger UI</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 2em auto; max-width: 860px; color: #3b4151; }
h1 { font-size: 24px; } .op { display: flex; gap: 1em; padding: .4em .6em; margin: .3em 0; border-radius: 4px; background: #f0f7ff; }
.m { width: 5em; font-weight: 700; text-transform: uppercase; } .p { font-family: monospace; } .s { margin-left: auto; color: #666; }
</style>
</head>
<body>
<h1 id="title">Podinfo API</h1>
<p id="description"></p>
<div id="ops"></div>
<script>
fetch('./doc.json').then((r) => r.json()).then((doc) => {
  document.getElementById('title').textContent = doc.info.title + ' ' + doc.info.version;
  document.getElementById('description').textContent = doc.info.description;
  const ops = document.getElementById('ops');
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const row = document.createElement('div');
      row.className = 'op';
      for (const [cls, text] of [['m', method], ['p', (doc.basePath === '/' ? '' : doc.basePath) + path], ['s', op.summary]]) {
        const cell = document.createElement('span');
        cell.className = cls;
        cell.textContent = text;
        row.appendChild(cell);
      }
      ops.appendChild(row);
    }
  }
});
</script>
</body>
</html>
`;
