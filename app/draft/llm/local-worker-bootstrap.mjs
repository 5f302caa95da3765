// Worker entry when running from TypeScript sources (CLI via tsx, Vitest): register tsx in this thread,
// then load the worker module. A compiled build points the Worker at local-worker.js directly.
import { register } from 'tsx/esm/api';

register();
await import('./local-worker.ts');
