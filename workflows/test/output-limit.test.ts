/**
 * Limits with the defaults a user gets: a 20 MB output is over BATCHGRAPH_MAX_TASK_OUTPUT_BYTES
 * (16 MB), so its task fails at once with a message naming the limit, and the run fails cleanly
 * with a RunResult that retry-from-failure can use. An error of the interpreter itself fails the
 * run the same way instead of failing workflow tasks forever.
 */
import { WORKFLOW_TYPE, type Plan, type RunInput } from '@batchgraph/engine';
import { describe, expect, it } from 'vitest';
import { useTestEnvironment } from './support/environment';
import { outputOf, planOf, resultOf, startRun, tester, uniqueName } from './support/harness';
import { httpTask, job } from './support/jobs';

const env = useTestEnvironment('output-limit');

describe('the task output limit', () => {
  it('fails a 20 MB output naming the limit; the run fails with a usable result', async () => {
    const plan = planOf(
      job(
        'too-big',
        [
          httpTask('first', env.standIn.url('/t/limit/first')),
          httpTask('huge', env.standIn.url('/t/limit/huge?bytes=20000000')),
        ],
        [['first', 'huge']],
      ),
      env.queue,
    );
    const handle = await startRun(env.harness.client, plan);
    const result = await resultOf(handle);

    expect(result.status).toBe('failed');
    expect(result.tasks.huge).toMatchObject({ state: 'failed', attempts: 1 });
    expect(result.tasks.huge!.error).toMatch(/BATCHGRAPH_MAX_TASK_OUTPUT_BYTES/);
    expect(result.tasks.huge!.error).toMatch(/16777216 bytes/);
    expect(env.standIn.count('/t/limit/huge')).toBe(1);
    // What retry-from-failure reuses: the succeeded task's reference, readable in the store.
    expect(await outputOf(env.harness.db, result, 'first')).toMatchObject({ status: 200 });
    expect((await handle.describe()).status.name).toBe('FAILED');
    // One workflow task per step, none failed: the run never sat in workflow-task retries.
    const history = await handle.fetchHistory();
    const failedTasks = history.events!.filter((event) => event.workflowTaskFailedEventAttributes);
    expect(failedTasks).toHaveLength(0);
  });
});

describe('an interpreter error', () => {
  it('fails the run with its result instead of failing workflow tasks', async () => {
    const good = planOf(job('broken', [httpTask('ok', env.standIn.url('/t/limit/ok'))]), env.queue);
    // A task type this interpreter does not know (a plan from a newer engine, say).
    const broken: Plan = {
      ...good,
      tasks: [...good.tasks, { ...good.tasks[0]!, id: 'odd', type: 'teleport' as never }],
      edges: [{ from: 0, to: 1, on: 'success' }],
    };
    const input: RunInput = { plan: broken, trigger: 'manual', startedBy: tester };
    const handle = await env.harness.client.workflow.start(WORKFLOW_TYPE, {
      args: [input],
      taskQueue: env.queue,
      workflowId: uniqueName('run-broken'),
    });
    const result = await resultOf(handle);
    expect(result.status).toBe('failed');
    expect(result.tasks.ok!.state).toBe('succeeded');
    expect(result.tasks.odd!.state).toBe('cancelled');
    const history = await handle.fetchHistory();
    const failedTasks = history.events!.filter((event) => event.workflowTaskFailedEventAttributes);
    expect(failedTasks).toHaveLength(0);
  });
});
