// Electron's entry: the main process and the core run from their TypeScript sources through tsx (the
// same way the `scribe` command runs), so worker threads and assets resolve exactly as in development.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
