import { useRef } from 'react';
import { useNavigate } from 'react-router';
import { importJob } from '../api/endpoints';
import { ApiError, errorMessage } from '../api/errors';
import { useToast } from '../ui/Toasts';

/** Reads a job file chosen by the user and imports it through the API; disabled, with the reason, for those who may not. */
export function ImportButton({ allowed }: { allowed: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const toast = useToast();
  const navigate = useNavigate();

  const onFile = async (file: File) => {
    let document: unknown;
    try {
      document = JSON.parse(await file.text());
    } catch (cause) {
      toast(`${file.name} is not JSON: ${errorMessage(cause)}`, 'error');
      return;
    }
    try {
      const saved = await importJob(document);
      toast(`Imported ${file.name}`, 'success');
      await navigate(`/jobs/${encodeURIComponent(saved.id)}`);
    } catch (cause) {
      const problems = cause instanceof ApiError ? cause.problems : [];
      const detail = problems.length > 0 ? ` ${problems[0]!.message}` : '';
      toast(`${errorMessage(cause)}${detail}`, 'error');
    }
  };

  return (
    <>
      <button
        type="button"
        className="button"
        disabled={!allowed}
        title={
          allowed ? undefined : 'Viewers cannot import: importing creates a job (analyst or above).'
        }
        onClick={() => input.current?.click()}
      >
        Import…
      </button>
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        className="visually-hidden"
        aria-label="Job file to import"
        tabIndex={-1}
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void onFile(file);
        }}
      />
    </>
  );
}
