// The proxy bench's baseline, as its own process: a node:http replica answering silly-demo's
// text and a bare node:http proxy in front of it — the replica on the proxy's thread
// (`node bareProxy.js same`, as `canarysim serve` has them) or on a worker thread of its own
// (`worker`: what giving the proxy a core to itself can gain). Prints "<replica port> <proxy port>".
import http from 'node:http';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

function startReplica(ready: (port: number) => void): void {
  const replica = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': 37 });
      res.end('This is a silly demo version 1.4.126\n');
    });
  });
  replica.keepAliveTimeout = 65_000;
  replica.listen(0, '127.0.0.1', () => ready((replica.address() as { port: number }).port));
}

function proxyTo(port: number): void {
  const agent = new http.Agent({ keepAlive: true });
  const proxy = http.createServer((req, res) => {
    const up = http.request(
      { host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers, agent },
      (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          res.end(Buffer.concat(chunks));
        });
      },
    );
    up.end();
  });
  proxy.listen(0, '127.0.0.1', () => console.log(`${port} ${(proxy.address() as { port: number }).port}`));
}

if (!isMainThread) startReplica((port) => parentPort!.postMessage(port));
else if (process.argv[2] === 'worker')
  new Worker(new URL(import.meta.url)).once('message', (port: number) => proxyTo(port));
else startReplica(proxyTo);
