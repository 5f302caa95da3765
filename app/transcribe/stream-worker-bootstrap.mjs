// Worker entry when running from TypeScript sources (CLI via tsx, Vitest): register tsx in this thread,
// then load the worker module. A compiled build points the Worker at stream-worker.js directly.
// No shared compile cache in /tmp (docs/decisions/0125-no-shared-caches.md).
process.env.TSX_DISABLE_CACHE = '1';
const { register } = await import('tsx/esm/api');

register();
await import('./stream-worker.ts');
