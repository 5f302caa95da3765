#!/usr/bin/env node
// The `scribe` command: runs the TypeScript CLI through tsx. Medplum's engine needs the WebSocket
// global, which Node 20 exposes only with --experimental-websocket: re-exec once with it.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

if (typeof globalThis.WebSocket === 'undefined' && !process.env.SCRIBE_REEXEC) {
  const args = ['--experimental-websocket', '--no-warnings=ExperimentalWarning', fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  const child = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, SCRIBE_REEXEC: '1' } });
  process.exit(child.status ?? 1);
}

const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../app/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
