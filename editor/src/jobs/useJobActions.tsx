import { useCallback, useState } from 'react';
import { useNavigate } from 'react-router';
import { download } from '../api/client';
import {
  deleteJob,
  duplicateJob,
  pauseSchedule,
  pauseSchedules,
  resumeSchedule,
  resumeSchedules,
} from '../api/endpoints';
import { errorMessage } from '../api/errors';
import type { JobSummary } from '../api/types';
import { useRunStarter } from '../runs/useRunStarter';
import { SavedScheduleDialog } from '../schedules/SavedScheduleDialog';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { NoteDialog } from '../ui/NoteDialog';
import { useToast } from '../ui/Toasts';
import type { JobAction } from './JobRow';

type Pending =
  | { kind: 'pause' | 'resume'; jobs: JobSummary[] }
  | { kind: 'delete' | 'trigger' | 'backfill' | 'duplicate'; job: JobSummary }
  | undefined;

/** The jobs list's row and bulk actions, with the dialogs they need. */
export function useJobActions(reload: () => void) {
  const navigate = useNavigate();
  const toast = useToast();
  const [pending, setPending] = useState<Pending>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [copyScheduleEnabled, setCopyScheduleEnabled] = useState(false);
  const runs = useRunStarter();

  const close = useCallback(() => {
    setPending(undefined);
    setError(undefined);
  }, []);

  const attempt = useCallback(
    async (work: () => Promise<string>) => {
      setBusy(true);
      setError(undefined);
      try {
        toast(await work(), 'success');
        setPending(undefined);
        reload();
      } catch (cause) {
        setError(errorMessage(cause));
      } finally {
        setBusy(false);
      }
    },
    [reload, toast],
  );

  const duplicate = useCallback(
    async (job: JobSummary, scheduleEnabled = false) => {
      const copy = await duplicateJob(job.id, { scheduleEnabled });
      toast(`Duplicated ${job.name}`, 'success');
      await navigate(`/jobs/${encodeURIComponent(copy.id)}`);
    },
    [navigate, toast],
  );

  const onAction = useCallback(
    (job: JobSummary, action: JobAction) => {
      const quick = async (work: () => Promise<void>) => {
        try {
          await work();
        } catch (cause) {
          toast(errorMessage(cause), 'error');
        }
      };
      switch (action) {
        case 'run':
          void runs.start(job.id);
          return;
        case 'runs':
          void navigate(`/jobs/${encodeURIComponent(job.id)}/runs`);
          return;
        case 'duplicate':
          // A running schedule is not copied running without asking: the copy would double its runs.
          if (job.schedule && !job.schedule.paused) {
            setCopyScheduleEnabled(false);
            setPending({ kind: 'duplicate', job });
          } else void quick(() => duplicate(job));
          return;
        case 'export':
          void quick(() =>
            download(`/jobs/${encodeURIComponent(job.id)}/export`, `${job.name}.json`),
          );
          return;
        case 'delete':
        case 'trigger':
        case 'backfill':
          setPending({ kind: action, job });
          return;
        case 'pause':
        case 'resume':
          setPending({ kind: action, jobs: [job] });
          return;
      }
    },
    [navigate, toast, duplicate, runs],
  );

  const bulk = useCallback((kind: 'pause' | 'resume', jobs: JobSummary[]) => {
    setPending({ kind, jobs });
  }, []);

  const submitNote = (note: string) => {
    if (pending?.kind !== 'pause' && pending?.kind !== 'resume') return;
    const { kind, jobs } = pending;
    const [only] = jobs;
    void attempt(async () => {
      if (jobs.length === 1 && only) {
        if (kind === 'pause') await pauseSchedule(only.id, note);
        else await resumeSchedule(only.id, note || undefined);
        return `${kind === 'pause' ? 'Paused' : 'Resumed'} ${only.name}`;
      }
      const ids = jobs.map((job) => job.id);
      const count =
        kind === 'pause'
          ? (await pauseSchedules(ids, note)).paused.length
          : (await resumeSchedules(ids, note || undefined)).resumed.length;
      return `${kind === 'pause' ? 'Paused' : 'Resumed'} ${count} schedule${count === 1 ? '' : 's'}`;
    });
  };

  const noteTarget =
    pending?.kind === 'pause' || pending?.kind === 'resume'
      ? pending.jobs.length === 1
        ? pending.jobs[0]!.name
        : `${pending.jobs.length} jobs`
      : '';

  const dialogs = (
    <>
      {runs.dialog}
      {(pending?.kind === 'trigger' || pending?.kind === 'backfill') && (
        <SavedScheduleDialog
          kind={pending.kind}
          jobId={pending.job.id}
          jobName={pending.job.name}
          onClose={close}
          onDone={reload}
        />
      )}
      <NoteDialog
        key={pending?.kind === 'pause' || pending?.kind === 'resume' ? pending.kind : 'none'}
        open={pending?.kind === 'pause' || pending?.kind === 'resume'}
        title={`${pending?.kind === 'pause' ? 'Pause' : 'Resume'} the schedule of ${noteTarget}`}
        confirmLabel={pending?.kind === 'pause' ? 'Pause' : 'Resume'}
        required={pending?.kind === 'pause'}
        busy={busy}
        error={error}
        onSubmit={submitNote}
        onClose={close}
      />
      <ConfirmDialog
        open={pending?.kind === 'duplicate'}
        title="Duplicate this job?"
        confirmLabel="Duplicate"
        busy={busy}
        onClose={close}
        onConfirm={() => {
          if (pending?.kind !== 'duplicate') return;
          const { job } = pending;
          setBusy(true);
          duplicate(job, copyScheduleEnabled).then(
            () => {
              setBusy(false);
              close();
            },
            (cause: unknown) => {
              setBusy(false);
              setError(errorMessage(cause));
            },
          );
        }}
      >
        <p>
          The schedule of <strong>{pending?.kind === 'duplicate' ? pending.job.name : ''}</strong>{' '}
          is running. The copy&apos;s schedule starts paused, so the job does not run twice, unless
          you start it enabled.
        </p>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={copyScheduleEnabled}
            onChange={(event) => setCopyScheduleEnabled(event.target.checked)}
          />
          Start the copy&apos;s schedule enabled
        </label>
        {error && (
          <p className="field__error" role="alert">
            {error}
          </p>
        )}
      </ConfirmDialog>
      <ConfirmDialog
        open={pending?.kind === 'delete'}
        title="Delete this job?"
        confirmLabel="Delete"
        danger
        busy={busy}
        onClose={close}
        onConfirm={() => {
          if (pending?.kind !== 'delete') return;
          const { job } = pending;
          void attempt(async () => {
            await deleteJob(job.id);
            return `Deleted ${job.name}`;
          });
        }}
      >
        <p>
          <strong>{pending?.kind === 'delete' ? pending.job.name : ''}</strong> and its schedule
          will be deleted. Its past runs stay visible.
        </p>
        {error && (
          <p className="field__error" role="alert">
            {error}
          </p>
        )}
      </ConfirmDialog>
    </>
  );

  return { onAction, bulk, dialogs };
}
