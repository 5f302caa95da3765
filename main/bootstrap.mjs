// Electron's entry: the main process and the core run from their TypeScript sources through tsx (the
// same way the `scribe` command runs), so worker threads and assets resolve exactly as in development.
// No shared compile cache in /tmp (another local user could plant code there): tsx compiles in memory.
process.env.TSX_DISABLE_CACHE = '1';
const { register } = await import('tsx/esm/api');

register();
await import('./main.ts');
