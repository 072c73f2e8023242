/** The `temporal` CLI: a client we did not write, to check what the API did in Temporal. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TEMPORAL_ADDRESS, TEMPORAL_CLI } from './harness';

const run = promisify(execFile);

export async function temporalCli(...args: string[]): Promise<string> {
  const { stdout } = await run(TEMPORAL_CLI, [...args, '--address', TEMPORAL_ADDRESS], {
    timeout: 30_000,
  });
  return stdout;
}

export interface CliSchedule {
  schedule: {
    state: {
      notes?: string;
      paused?: boolean;
      limitedActions?: boolean;
      remainingActions?: string;
    };
    policies: { overlapPolicy?: string };
    spec: Record<string, unknown>;
    action: {
      startWorkflow: {
        workflowId: string;
        workflowType: { name: string };
        taskQueue: { name: string };
      };
    };
  };
  info: {
    actionCount?: string;
    recentActions?: { startWorkflowResult?: { workflowId: string } }[];
    futureActionTimes?: string[];
  };
}

export async function describeSchedule(id: string): Promise<CliSchedule> {
  return JSON.parse(
    await temporalCli('schedule', 'describe', '--schedule-id', id, '-o', 'json'),
  ) as CliSchedule;
}

/** Polls until `check` holds: Temporal takes schedule actions asynchronously. */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  what: string,
): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = await read();
    if (check(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`gave up waiting for ${what}`);
}
