/** What other code may take from this package: how to build and run interpreter workers. */
export { bundleInterpreter, ignoreModules, workflowsPath } from './bundle';
export { createLogger, TemporalPinoLogger } from './logger';
export { installRuntime, runtimeOptions } from './runtime';
export {
  createWorkers,
  runWorkers,
  workerOptions,
  workerQueues,
  type WorkerSetup,
} from './worker-options';
