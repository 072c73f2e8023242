import { useCallback, useState } from 'react';
import { deleteConnection, listConnections } from '../api/endpoints';
import { errorMessage } from '../api/errors';
import type { ConnectionSummary } from '../api/types';
import { formatDateTime } from '../lib/format';
import { useResource } from '../lib/useResource';
import { useHasRole, useSession } from '../shell/session';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { DataTable } from '../ui/DataTable';
import { ErrorNote } from '../ui/ErrorNote';
import { useToast } from '../ui/Toasts';
import { ConnectionForm } from './ConnectionForm';

/** Connections: credentials http tasks use by name. Their secrets never come back from the API. */
export default function ConnectionsPage() {
  const isAdmin = useHasRole('admin');
  const { me } = useSession();
  const load = useCallback((signal: AbortSignal) => listConnections(signal), []);
  const connections = useResource(load);
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<ConnectionSummary>();

  if (!isAdmin) return <p className="empty">Connections are managed by administrators.</p>;
  const items = connections.data?.items ?? [];
  return (
    <main className="page">
      <div className="page__header">
        <h1>Connections</h1>
        <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
          New connection
        </button>
      </div>
      <p className="muted">
        An http task names a connection in its <code>connection</code> field; the worker adds the
        credentials to the request. Secrets are sealed when saved and never shown again.
      </p>
      {connections.error !== undefined && (
        <ErrorNote error={connections.error} onRetry={connections.reload} />
      )}
      <DataTable
        caption="Connections"
        columns={['Name', 'Kind', 'Owner', 'Sent only to', 'Description', 'Created']}
        actions
        busy={connections.loading}
        skeleton={connections.loading && !connections.data}
        empty={!connections.loading && items.length === 0 ? 'No connections yet.' : undefined}
      >
        {items.map((connection) => (
          <tr key={connection.name}>
            <td className="mono">{connection.name}</td>
            <td>{connection.kind}</td>
            <td>
              {connection.owner === null ? (
                <span className="badge">shared</span>
              ) : connection.owner === me?.id ? (
                'you'
              ) : (
                <span className="mono">{connection.owner}</span>
              )}
            </td>
            <td className="mono">
              {connection.origins.length > 0 ? (
                connection.origins.join(' ')
              ) : (
                <span className="muted">nowhere: re-create it with its base URLs</span>
              )}
            </td>
            <td>{connection.description ?? <span className="muted">—</span>}</td>
            <td>{formatDateTime(connection.createdAt)}</td>
            <td>
              <button
                type="button"
                className="button button--small"
                onClick={() => setDeleting(connection)}
                aria-label={`Delete ${connection.name}`}
              >
                Delete
              </button>
            </td>
          </tr>
        ))}
      </DataTable>
      {creating && (
        <ConnectionForm
          onClose={() => setCreating(false)}
          onCreated={(name) => {
            setCreating(false);
            toast(`Created connection ${name}`, 'success');
            connections.reload();
          }}
        />
      )}
      <ConfirmDialog
        title="Delete this connection?"
        open={deleting !== undefined}
        confirmLabel="Delete"
        danger
        onClose={() => setDeleting(undefined)}
        onConfirm={() => {
          const connection = deleting;
          setDeleting(undefined);
          if (!connection) return;
          deleteConnection(connection.name).then(
            () => {
              toast(`Deleted connection ${connection.name}`, 'success');
              connections.reload();
            },
            (cause: unknown) => toast(errorMessage(cause), 'error'),
          );
        }}
      >
        <p>
          Tasks that use <strong>{deleting?.name}</strong> fail from their next run until a
          connection of that name exists again.
        </p>
      </ConfirmDialog>
    </main>
  );
}
