import { useState } from 'react';
import { errorMessage } from '../api/errors';
import { useToast } from '../ui/Toasts';

/**
 * Sends a trigger or backfill: busy while it runs, a toast either way, and the failure kept for
 * the dialog to show in place.
 */
export function useScheduleRequest(onDone: () => void) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const send = async (request: () => Promise<unknown>, success: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await request();
      toast(success, 'success');
      onDone();
    } catch (cause) {
      setError(errorMessage(cause));
      toast(errorMessage(cause), 'error');
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, send };
}
