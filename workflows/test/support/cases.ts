/** The shared semantics cases (`../shared/semantics` beside the repository), turned into jobs that call the stand-in. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunOutcome, TaskState } from '@batchgraph/engine';

export interface SemanticsCase {
  name: string;
  job: { tasks: { id: string; type: string; retries?: number }[] } & Record<string, unknown>;
  fail: Record<string, number>;
  expect: { outcome: Exclude<RunOutcome, 'running'>; tasks: Record<string, TaskState> };
}

/** `../shared/semantics` beside the repository root. */
export const casesDir = fileURLToPath(new URL('../../../../shared/semantics', import.meta.url));

export function loadCases(): SemanticsCase[] {
  if (!existsSync(casesDir)) throw new Error(`The semantics cases are missing: ${casesDir}`);
  const files = readdirSync(casesDir).filter((file) => file.endsWith('.json'));
  if (files.length === 0) throw new Error(`No semantics cases in ${casesDir}`);
  return files.sort().map((file) => ({
    name: file.replace(/\.json$/, ''),
    ...(JSON.parse(readFileSync(`${casesDir}/${file}`, 'utf8')) as Omit<SemanticsCase, 'name'>),
  }));
}

/**
 * Every `delay` task becomes an `http` task whose first `fail` requests the stand-in answers 500
 * (99: all of them); retries wait 50 ms instead of a second.
 */
export function withHttpTasks(
  testCase: SemanticsCase,
  url: (path: string) => string,
  prefix: string,
): unknown {
  return {
    ...testCase.job,
    tasks: testCase.job.tasks.map((task) => {
      if (task.type !== 'delay') return task;
      const fail = testCase.fail[task.id] ?? 0;
      return {
        ...task,
        type: 'http',
        params: { method: 'POST', url: url(`/t/${prefix}/${task.id}?fail=${fail}`) },
        ...(task.retries ? { retryBackoff: { initialSeconds: 0.05, coefficient: 1 } } : {}),
      };
    }),
  };
}
