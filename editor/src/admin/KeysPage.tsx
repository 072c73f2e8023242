import { useCallback, useState, type FormEvent } from 'react';
import { createKey, listKeys, revokeKey } from '../api/endpoints';
import { errorMessage } from '../api/errors';
import { roles, type ApiKeySummary, type Role } from '../api/types';
import { formatDateTime } from '../lib/format';
import { useResource } from '../lib/useResource';
import { useHasRole } from '../shell/session';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { DataTable } from '../ui/DataTable';
import { Dialog } from '../ui/Dialog';
import { ErrorNote } from '../ui/ErrorNote';
import { Field, SelectField } from '../ui/Field';
import { useToast } from '../ui/Toasts';

/** API keys: create one (its secret is shown once) or revoke it. */
export default function KeysPage() {
  const isAdmin = useHasRole('admin');
  const load = useCallback(() => listKeys(), []);
  const keys = useResource(load);
  const toast = useToast();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('analyst');
  const [created, setCreated] = useState<{ name: string; key: string }>();
  const [revoking, setRevoking] = useState<ApiKeySummary>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const result = await createKey(name.trim(), role);
      setCreated({ name: name.trim(), key: result.key });
      setName('');
      keys.reload();
    } catch (cause) {
      toast(errorMessage(cause), 'error');
    }
  };

  if (!isAdmin) return <p className="empty">Key management is for administrators.</p>;
  return (
    <main className="page">
      <div className="page__header">
        <h1>API keys</h1>
      </div>
      <form className="card toolbar keys__form" onSubmit={(event) => void submit(event)}>
        <Field label="Name">
          {(control) => (
            <input
              {...control}
              className="input"
              required
              value={name}
              placeholder="e.g. ci-pipeline or Jane Doe"
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </Field>
        <SelectField<Role> label="Role" value={role} choices={roles} onChange={setRole} />
        <button type="submit" className="button button--primary" disabled={name.trim() === ''}>
          Create key
        </button>
      </form>
      {keys.error !== undefined && <ErrorNote error={keys.error} onRetry={keys.reload} />}
      <DataTable
        caption="API keys"
        columns={['Name', 'Role', 'Created', 'State']}
        actions
        busy={keys.loading}
        skeleton={keys.loading && !keys.data}
      >
        {keys.data?.items.map((key) => (
          <tr key={key.id}>
            <td>{key.name}</td>
            <td>{key.role}</td>
            <td>{formatDateTime(key.createdAt)}</td>
            <td>{key.revoked ? <span className="badge badge--paused">revoked</span> : 'active'}</td>
            <td>
              {!key.revoked && (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => setRevoking(key)}
                  aria-label={`Revoke ${key.name}`}
                >
                  Revoke
                </button>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
      <Dialog
        title={`Key for ${created?.name ?? ''}`}
        open={created !== undefined}
        onClose={() => setCreated(undefined)}
        actions={
          <button
            type="button"
            className="button button--primary"
            onClick={() => setCreated(undefined)}
          >
            I have stored it
          </button>
        }
      >
        <p>Copy this key now: it is shown only once.</p>
        <Field label="API key">
          {(control) => (
            <input
              {...control}
              className="input mono"
              readOnly
              value={created?.key ?? ''}
              onFocus={(event) => event.target.select()}
            />
          )}
        </Field>
        <button
          type="button"
          className="button button--small"
          onClick={() => void navigator.clipboard?.writeText(created?.key ?? '')}
        >
          Copy to clipboard
        </button>
      </Dialog>
      <ConfirmDialog
        title="Revoke this key?"
        open={revoking !== undefined}
        confirmLabel="Revoke"
        danger
        onClose={() => setRevoking(undefined)}
        onConfirm={() => {
          const key = revoking;
          setRevoking(undefined);
          if (!key) return;
          revokeKey(key.id).then(
            () => {
              toast(`Revoked ${key.name}`, 'success');
              keys.reload();
            },
            (cause: unknown) => toast(errorMessage(cause), 'error'),
          );
        }}
      >
        <p>
          Anything using <strong>{revoking?.name}</strong> stops working at once.
        </p>
      </ConfirmDialog>
    </main>
  );
}
