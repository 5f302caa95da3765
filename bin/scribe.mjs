#!/usr/bin/env node
// The `scribe` command: runs the TypeScript CLI from source through tsx.
// (Medplum's engine wants a WebSocket global; app/fhir installs `ws` as one on Node 20.)
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../app/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
