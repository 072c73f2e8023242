import { ReactFlowProvider } from '@xyflow/react';
import { useCallback } from 'react';
import { useParams } from 'react-router';
import { getJob } from '../api/endpoints';
import { useResource } from '../lib/useResource';
import { ErrorNote } from '../ui/ErrorNote';
import { JobEditor } from './JobEditor';
import { newJob } from './model/document';

/** /jobs/new and /jobs/:jobId: loads the job, then hands it to the editor. */
export default function EditorPage() {
  const { jobId } = useParams();
  const load = useCallback(async () => (jobId ? getJob(jobId) : undefined), [jobId]);
  const job = useResource(load);
  if (job.error !== undefined) {
    return (
      <main className="page">
        <ErrorNote error={job.error} onRetry={job.reload} />
      </main>
    );
  }
  if (jobId && !job.data) return <p className="empty">Loading job…</p>;
  return (
    <ReactFlowProvider>
      <JobEditor
        key={`${jobId ?? 'new'}:${job.data?.version ?? 0}`}
        jobId={jobId}
        version={job.data?.version}
        initial={job.data?.document ?? newJob()}
        owner={job.data?.owner}
        onReload={job.reload}
      />
    </ReactFlowProvider>
  );
}
