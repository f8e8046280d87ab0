// `node dist/test/bench/proxyMain.js [runs] [seconds]`: the proxy benchmark alone.
import { packageRoot } from '../../cli/runCli.js';
import { startServeProcess } from '../interop/liveServe.js';
import { proxyBenchRun } from './proxyBench.js';

const runs = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 5);
const serve = await startServeProcess(packageRoot());
try {
  for (let i = 0; i < runs; i++) console.log(JSON.stringify(await proxyBenchRun(serve, seconds)));
} finally {
  await serve.stop();
}
