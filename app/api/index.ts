export * from './contract.ts';
export * from './define.ts';
export * from './dispatch.ts';
export * from './schemas.ts';
export { createHandlers, type CoreServices } from './handlers.ts';
