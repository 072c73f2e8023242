/**
 * How the interpreter's workflow code is bundled. The worker, the tests and the benchmark all use
 * these options, so what runs in tests is what runs in production.
 */
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

export const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

/** Workflow interceptors of every interpreter run (activity headers, attempts, log attributes). */
export const workflowInterceptorModules = [
  fileURLToPath(new URL('./workflows/interceptors.ts', import.meta.url)),
];

/**
 * cron-parser (imported by the engine's schedule module) also exports a crontab-file reader that
 * imports `fs`; the interpreter never calls it, so the bundle leaves those modules out.
 */
export const ignoreModules = ['fs', 'fs/promises'];

/**
 * Bundles the interpreter once, e.g. for several in-process workers; `extraInterceptorModules`
 * adds workflow interceptors such as OpenTelemetry's.
 */
export function bundleInterpreter(
  extraInterceptorModules: string[] = [],
): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath,
    ignoreModules,
    workflowInterceptorModules: [...workflowInterceptorModules, ...extraInterceptorModules],
  });
}
