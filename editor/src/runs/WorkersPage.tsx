/**
 * The Workers screen: every task queue the saved jobs use, with who polls it (from Temporal's
 * DescribeTaskQueue through `GET /api/workers`): live or not, last seen, build id, whether it
 * runs command tasks. A queue nobody polls is where runs would wait.
 */
import { useCallback } from 'react';
import { getWorkers } from '../api/endpoints';
import { formatDateTime } from '../lib/format';
import { useResource } from '../lib/useResource';
import { DataTable } from '../ui/DataTable';
import { ErrorNote } from '../ui/ErrorNote';

export default function WorkersPage() {
  const load = useCallback((signal: AbortSignal) => getWorkers(undefined, signal), []);
  const workers = useResource(load);
  const queues = workers.data?.queues ?? [];
  return (
    <main className="page">
      <div className="page__header">
        <h1>Workers</h1>
        <button type="button" className="button" onClick={workers.reload}>
          Refresh
        </button>
      </div>
      {workers.error !== undefined && <ErrorNote error={workers.error} onRetry={workers.reload} />}
      <DataTable
        caption="Task queues and their pollers"
        columns={['Queue', 'Poller', 'Polls for', 'Last seen', 'Build id', 'Command tasks']}
        busy={workers.loading}
        empty={queues.length === 0 && !workers.loading ? 'No task queues yet.' : undefined}
      >
        {queues.flatMap((queue) =>
          queue.pollers.filter((poller) => poller.live).length === 0
            ? [
                <tr key={queue.name} className="workers__idle">
                  <td className="mono">{queue.name}</td>
                  <td colSpan={5}>No worker polls this queue: its tasks would wait.</td>
                </tr>,
              ]
            : queue.pollers.map((poller) => (
                <tr key={`${queue.name}:${poller.kind}:${poller.identity}`}>
                  <td className="mono">{queue.name}</td>
                  <td className="mono">
                    {poller.identity}
                    {!poller.live && ' (gone)'}
                  </td>
                  <td>{poller.kind === 'workflow' ? 'runs (interpreter)' : 'tasks'}</td>
                  <td>{formatDateTime(poller.lastSeenAt)}</td>
                  <td className="mono">{poller.buildId ?? '—'}</td>
                  <td>
                    {poller.commandsEnabled === undefined
                      ? 'unknown'
                      : poller.commandsEnabled
                        ? 'enabled'
                        : 'disabled'}
                  </td>
                </tr>
              )),
        )}
      </DataTable>
    </main>
  );
}
