/**
 * Runs the dashboard against the in-memory fake for the tmux test:
 *   node --import tsx test/tui/dashboardScript.ts <event log>
 * The rollout moves from stable to a paused canary after a second, as if `set image` had
 * happened; `retry` fails, as it does on a rollout that was not aborted. Commands and the
 * dashboard's end are appended to the log as JSON lines, so the test can see what the keys
 * did and that the promise resolved.
 */
import { appendFileSync } from 'node:fs';
import { runDashboard } from '../../cli/tui/index.js';
import { fakeControlClient } from './fakeControlClient.js';

const log = process.argv[2];
if (log === undefined) throw new Error('usage: dashboardScript.ts <event log>');
const record = (event: object): void => appendFileSync(log, JSON.stringify(event) + '\n');

const client = fakeControlClient();
const command = client.command.bind(client);
client.command = (namespace, name, action, body) => {
  record({ event: 'command', action, ...(body === undefined ? {} : { body }) });
  if (action === 'retry') return Promise.reject(new Error('rollout is not aborted'));
  return command(namespace, name, action, body);
};
// unref: the dashboard alone must keep the process alive, so a clean quit ends it.
setTimeout(() => {
  if (client.stage === 'stable') client.stage = 'canary';
}, 1000).unref();

record({ event: 'started' });
await runDashboard(client, { namespace: 'a-team', name: 'silly-demo', refreshMs: 200 });
record({ event: 'resolved' });
