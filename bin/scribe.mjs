#!/usr/bin/env node
// The `scribe` command: runs the TypeScript CLI from source through tsx.
// (Medplum's engine wants a WebSocket global; app/fhir installs `ws` as one on Node 20.)
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../app/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
// Every command has finished its work when main returns: a leftover handle (a socket, a timer of a
// library) must not keep the process alive, e.g. after `scribe web` was asked to stop.
setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
