import { useEffect, useState } from 'react';
import type { RunView } from '@batchgraph/engine';
import { streamUrl } from '../api/client';
import { getRun } from '../api/endpoints';
import type { RunDetail } from '../api/types';

export interface RunStream {
  run: RunDetail | undefined;
  error: unknown;
  /** True while the live stream is connected. */
  live: boolean;
}

/** A run's view, first fetched, then kept current by the server's `run` events until `end`. */
export function useRunStream(runId: string, generation: number): RunStream {
  const [run, setRun] = useState<RunDetail>();
  const [error, setError] = useState<unknown>();
  const [live, setLive] = useState(false);

  useEffect(() => {
    let closed = false;
    let source: EventSource | undefined;
    getRun(runId).then(
      (detail) => {
        if (closed) return;
        setRun(detail);
        setError(undefined);
        if (detail.status !== 'running') return;
        source = new EventSource(streamUrl(`/runs/${encodeURIComponent(runId)}/events`));
        source.addEventListener('open', () => setLive(true));
        source.addEventListener('run', (event) => {
          const view = JSON.parse((event as MessageEvent<string>).data) as RunView;
          setRun((current) => (current ? { ...current, ...view } : current));
        });
        source.addEventListener('end', () => {
          source?.close();
          setLive(false);
          // The final view (outputs, end time) comes with one more read.
          void getRun(runId).then((final) => {
            if (!closed) setRun(final);
          });
        });
        source.addEventListener('error', () => setLive(false));
      },
      (cause: unknown) => {
        if (!closed) setError(cause);
      },
    );
    return () => {
      closed = true;
      source?.close();
    };
  }, [runId, generation]);

  return { run, error, live };
}
