import { connectionKinds, type ConnectionKind } from '@batchgraph/engine';
import { useId, useState, type FormEvent } from 'react';
import { createConnection } from '../api/endpoints';
import { ApiError, errorMessage } from '../api/errors';
import type { NewConnection } from '../api/types';
import { Dialog } from '../ui/Dialog';
import { Field, SelectField, type FieldProblem } from '../ui/Field';
import { FormFooter } from '../ui/FormFooter';

interface SecretField {
  key: string;
  label: string;
  /** Typed into a password input, never echoed. */
  hidden: boolean;
}

/** The secret fields of each kind, as `POST /api/connections` names them under `secret`. */
export const secretFields: Record<ConnectionKind, readonly SecretField[]> = {
  bearer: [{ key: 'token', label: 'Token', hidden: true }],
  basic: [
    { key: 'username', label: 'Username', hidden: false },
    { key: 'password', label: 'Password', hidden: true },
  ],
  header: [
    { key: 'header', label: 'Header name', hidden: false },
    { key: 'value', label: 'Header value', hidden: true },
  ],
};

const kindLabels: Record<ConnectionKind, string> = {
  bearer: 'Bearer token',
  basic: 'Basic auth (username and password)',
  header: 'Custom header',
};

/** What went wrong, by the JSON path it concerns; `general` holds the rest. */
interface Failure {
  byPath: Map<string, FieldProblem[]>;
  general: FieldProblem[];
  notConfigured: boolean;
}

function readFailure(error: unknown, paths: ReadonlySet<string>): Failure {
  const failure: Failure = { byPath: new Map(), general: [], notConfigured: false };
  if (error instanceof ApiError && error.code === 'not_configured') {
    return { ...failure, notConfigured: true };
  }
  const problems: FieldProblem[] =
    error instanceof ApiError && error.problems.length > 0
      ? error.problems
      : error instanceof ApiError && error.code === 'name_taken'
        ? [{ path: '$.name', message: error.message }]
        : [{ path: '$', message: errorMessage(error) }];
  for (const problem of problems) {
    // `$.origins[2]` belongs to the one origins field.
    const path = problem.path.startsWith('$.origins') ? '$.origins' : problem.path;
    if (!paths.has(path)) failure.general.push(problem);
    else failure.byPath.set(path, [...(failure.byPath.get(path) ?? []), problem]);
  }
  return failure;
}

interface ConnectionFormProps {
  onClose: () => void;
  onCreated: (name: string) => void;
}

/** Creates a connection; its secret goes to the API once and is never shown again. */
export function ConnectionForm({ onClose, onCreated }: ConnectionFormProps) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<ConnectionKind>('bearer');
  const [secret, setSecret] = useState<Record<string, string>>({});
  const [shared, setShared] = useState(true);
  const [description, setDescription] = useState('');
  const [origins, setOrigins] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure>();
  const sharedId = useId();
  const fields = secretFields[kind];
  const paths = new Set([
    '$.name',
    '$.kind',
    '$.description',
    '$.origins',
    ...fields.map((field) => `$.secret.${field.key}`),
  ]);
  const at = (path: string) => failure?.byPath.get(path) ?? [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(undefined);
    const connection = {
      name: name.trim(),
      kind,
      shared,
      ...(description.trim() ? { description: description.trim() } : {}),
      origins: origins
        .split(/\s+/)
        .map((line) => line.trim())
        .filter(Boolean),
      secret: Object.fromEntries(fields.map((field) => [field.key, secret[field.key] ?? ''])),
    } as NewConnection;
    try {
      await createConnection(connection);
      onCreated(connection.name);
    } catch (cause) {
      setFailure(readFailure(cause, paths));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="New connection" open onClose={onClose}>
      <form className="form" onSubmit={(event) => void submit(event)} aria-label="New connection">
        {failure?.notConfigured && (
          <div className="error-note connections__unconfigured" role="alert">
            <p>
              <strong>The API cannot store secrets yet.</strong> It has no{' '}
              <code>BATCHGRAPH_SECRET_KEY</code>, the key that seals connection secrets before they
              are saved. An operator sets it (32 random bytes, base64, e.g.{' '}
              <code>openssl rand -base64 32</code>) for the API and the workers, then restarts them.
            </p>
          </div>
        )}
        {failure && failure.general.length > 0 && (
          <ul className="field__problems" role="alert">
            {failure.general.map((problem) => (
              <li key={problem.path + problem.message} className="field__error">
                <code className="field__path">{problem.path}</code> {problem.message}
              </li>
            ))}
          </ul>
        )}
        <Field
          label="Name"
          help="How http tasks refer to it: 1–64 letters, digits, . _ or -."
          problems={at('$.name')}
          showPaths
        >
          {(control) => (
            <input
              {...control}
              className="input mono"
              required
              autoComplete="off"
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </Field>
        <SelectField<ConnectionKind>
          label="Kind"
          problems={at('$.kind')}
          value={kind}
          choices={connectionKinds.map((value) => [value, kindLabels[value]] as const)}
          onChange={(value) => {
            setKind(value);
            setSecret({});
          }}
        />
        {fields.map((field) => (
          <Field
            key={`${kind}.${field.key}`}
            label={field.label}
            problems={at(`$.secret.${field.key}`)}
            showPaths
          >
            {(control) => (
              <input
                {...control}
                className="input"
                type={field.hidden ? 'password' : 'text'}
                autoComplete={field.hidden ? 'new-password' : 'off'}
                required
                value={secret[field.key] ?? ''}
                onChange={(event) =>
                  setSecret((current) => ({ ...current, [field.key]: event.target.value }))
                }
              />
            )}
          </Field>
        ))}
        <Field
          label="Sent only to"
          help="The base URLs (one per line) this secret may go to, e.g. https://idm.example.com/api; requests anywhere else get no credentials."
          problems={at('$.origins')}
          showPaths
        >
          {(control) => (
            <textarea
              {...control}
              className="input mono"
              required
              rows={2}
              value={origins}
              onChange={(event) => setOrigins(event.target.value)}
            />
          )}
        </Field>
        <label className="checkbox" htmlFor={sharedId}>
          <input
            id={sharedId}
            type="checkbox"
            checked={shared}
            onChange={(event) => setShared(event.target.checked)}
          />
          Shared: every job may use it (otherwise it is yours only)
        </label>
        <Field label="Description (optional)" problems={at('$.description')} showPaths>
          {(control) => (
            <input
              {...control}
              className="input"
              value={description}
              onChange={(event) => setDescription(event.target.value)}
            />
          )}
        </Field>
        <FormFooter submitLabel="Create connection" disabled={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
