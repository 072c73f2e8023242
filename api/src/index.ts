/** The API as a library, for running it in-process (tests, benchmarks, the local stack). */
export { createApp } from './app';
export type { AppDeps, Services } from './context';
export { ensureIndexes, openDatabase, type Database } from './db';
export { openTemporal, type Temporal } from './temporal';
