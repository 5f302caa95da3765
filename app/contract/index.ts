/**
 * The contract: the floor of the house. Every call and event the UI and the core exchange, the shapes
 * they carry, the roles, and the one error type. It imports only zod; every other folder may import it
 * (through this file), and it imports none of them (docs/architecture.md).
 */
export * from './contract.ts';
export * from './define.ts';
export * from './schemas.ts';
