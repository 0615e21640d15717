// Runs `npm ci` when node_modules is missing or older than package-lock.json, so a Maven build installs the
// web UI's packages once (with the machine's npm; nothing else is downloaded) and then reuses them.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const lock = 'package-lock.json';
const installed = 'node_modules/.package-lock.json';

const fresh = existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs;
if (fresh) {
  console.log('webui: node_modules is up to date with package-lock.json');
  process.exit(0);
}
console.log('webui: npm ci');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
if (run.error) {
  console.error(`webui: cannot run npm (${run.error.message}); the web UI needs Node 20.19+ with npm on PATH`);
  process.exit(1);
}
process.exit(run.status ?? 1);
