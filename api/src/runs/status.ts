/** Temporal's execution statuses in the contract's run vocabulary, both ways. */
import type { RunStatus } from '@batchgraph/engine';
import type { WorkflowExecutionStatusName } from '@temporalio/client';

export function runStatusOf(status: WorkflowExecutionStatusName): RunStatus {
  switch (status) {
    case 'COMPLETED':
      return 'succeeded';
    case 'FAILED':
      return 'failed';
    case 'CANCELLED':
      return 'cancelled';
    // Terminated is not cancelled: nothing ran its cleanup (DESIGN.md, Data and limits).
    case 'TERMINATED':
      return 'terminated';
    case 'TIMED_OUT':
      return 'timed_out';
    default:
      return 'running';
  }
}

/** The visibility-query condition for runs in a status. */
export function statusCondition(status: RunStatus): string {
  switch (status) {
    case 'running':
      return "ExecutionStatus = 'Running'";
    case 'succeeded':
      return "ExecutionStatus = 'Completed'";
    case 'failed':
      return "ExecutionStatus = 'Failed'";
    case 'cancelled':
      return "ExecutionStatus = 'Canceled'";
    case 'terminated':
      return "ExecutionStatus = 'Terminated'";
    case 'timed_out':
      return "ExecutionStatus = 'TimedOut'";
  }
}

/** Raw enum values of temporal.api.enums.v1.WorkflowExecutionStatus. */
const rawNames: Record<number, WorkflowExecutionStatusName> = {
  1: 'RUNNING',
  2: 'COMPLETED',
  3: 'FAILED',
  4: 'CANCELLED',
  5: 'TERMINATED',
  6: 'CONTINUED_AS_NEW',
  7: 'TIMED_OUT',
};

export function statusName(raw: number | null | undefined): WorkflowExecutionStatusName {
  return rawNames[raw ?? 0] ?? 'UNSPECIFIED';
}
