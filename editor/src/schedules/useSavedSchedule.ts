import { useCallback } from 'react';
import { scheduleSchema, type Schedule } from '@batchgraph/engine';
import { getJob } from '../api/endpoints';
import { useResource, type Resource } from '../lib/useResource';

/** The schedule of a job's saved version: the one Temporal runs, whatever the editor holds now. */
export interface SavedSchedule {
  jobId: string;
  jobName: string;
  schedule: Schedule;
  /** As written in the saved document, to tell whether the editor's copy differs. */
  document: unknown;
}

async function loadSavedSchedule(jobId: string): Promise<SavedSchedule | undefined> {
  const job = await getJob(jobId);
  const parsed = scheduleSchema.safeParse(job.document.schedule);
  if (job.document.schedule === undefined || !parsed.success) return undefined;
  return { jobId, jobName: job.name, schedule: parsed.data, document: job.document.schedule };
}

/** Loads the saved schedule of a job; undefined data when the job is new or has none. */
export function useSavedSchedule(jobId: string | undefined): Resource<SavedSchedule | undefined> {
  const load = useCallback(
    async () => (jobId === undefined ? undefined : loadSavedSchedule(jobId)),
    [jobId],
  );
  return useResource(load);
}
