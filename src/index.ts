// The package's entry point: the programmatic API (src/api/index.ts), nothing else.

export * from './api/index.js';
