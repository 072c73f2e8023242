/**
 * Starting a manual run from anywhere (▶ on the jobs list, the editor, the run view): a job with
 * declared inputs first opens the run form; any other job starts at once. Either way the run
 * view of the new run opens.
 */
import { useCallback, useState } from 'react';
import { useNavigate } from 'react-router';
import { getJob, startRun } from '../api/endpoints';
import { errorMessage } from '../api/errors';
import type { JobDetail } from '../api/types';
import { useToast } from '../ui/Toasts';
import { RunInputDialog } from './RunInputDialog';

export function useRunStarter() {
  const navigate = useNavigate();
  const toast = useToast();
  const [asking, setAsking] = useState<JobDetail>();

  const launch = useCallback(
    async (jobId: string, jobName: string, input?: Record<string, unknown>) => {
      const { runId } = await startRun(jobId, input);
      toast(`Started ${jobName}`, 'success');
      await navigate(`/runs/${encodeURIComponent(runId)}`);
    },
    [navigate, toast],
  );

  const start = useCallback(
    async (jobId: string) => {
      try {
        const job = await getJob(jobId);
        if ((job.document.inputs?.length ?? 0) > 0) setAsking(job);
        else await launch(job.id, job.name);
      } catch (cause) {
        toast(errorMessage(cause), 'error');
      }
    },
    [launch, toast],
  );

  const dialog = asking && (
    <RunInputDialog
      key={asking.id}
      jobName={asking.name}
      declarations={asking.document.inputs ?? []}
      scheduleInput={asking.document.schedule?.input}
      onClose={() => setAsking(undefined)}
      onStart={async (input) => {
        await launch(asking.id, asking.name, input);
        setAsking(undefined);
      }}
    />
  );

  return { start, dialog };
}
