#!/usr/bin/env node
// The `scribe` command: runs the core precompiled (scripts/build-core.mjs rebuilds it first when a source
// changed), or from its TypeScript sources through tsx with SCRIBE_FROM_SOURCE=1.
// (Medplum's engine wants a WebSocket global; app/fhir installs `ws` as one on Node 20.)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Scribe runs on Node 22 (its native modules are built for it). Started by an older system node, hand
// over to the Node 22 that scripts/setup.sh installed into .tools/node.
if (Number(process.versions.node.split('.')[0]) < 22) {
  const node22 = fileURLToPath(new URL('../.tools/node/node_modules/node/bin/node', import.meta.url));
  if (!existsSync(node22)) {
    console.error(`Scribe needs Node.js 22 or newer (this is ${process.version}). Run scripts/setup.sh first.`);
    process.exit(1);
  }
  const r = spawnSync(node22, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
// tsx's compile cache is a shared, predictable folder in /tmp that another local user could fill with
// code that runs here: whatever still goes through tsx (sources, worker threads) compiles in memory
// (docs/decisions/0125-no-shared-caches.md). Worker threads inherit this.
process.env.TSX_DISABLE_CACHE = '1';

async function fromSource() {
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('../app/cli/main.ts')).main;
}

async function precompiled() {
  const { currentCore } = await import('../scripts/build-core.mjs');
  let entry;
  try {
    entry = await currentCore();
  } catch (error) {
    // e.g. a read-only checkout: run from source rather than not at all.
    console.error(
      `scribe: could not build the precompiled core (${error instanceof Error ? error.message : String(error)}); running from source`,
    );
    return fromSource();
  }
  return (await import(pathToFileURL(entry).href)).main;
}

const main = process.env.SCRIBE_FROM_SOURCE === '1' ? await fromSource() : await precompiled();
process.exitCode = await main(process.argv.slice(2));
// Every command has finished its work when main returns: a leftover handle (a socket, a timer of a
// library) must not keep the process alive, e.g. after `scribe web` was asked to stop.
setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
