import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import ConnectionsPage from '../src/admin/ConnectionsPage';
import type { ConnectionSummary } from '../src/api/types';
import { renderInApp, reply, sentBodies, type Routes } from './harness';

const stored: ConnectionSummary[] = [
  {
    name: 'crm-api',
    kind: 'bearer',
    owner: null,
    description: 'CRM read token',
    origins: ['https://crm.example.com/api'],
    createdAt: '2026-01-05T10:00:00Z',
  },
  {
    name: 'billing',
    kind: 'basic',
    owner: 'u1',
    origins: ['https://billing.example.com'],
    createdAt: '2026-01-06T10:00:00Z',
  },
  {
    name: 'legacy',
    kind: 'header',
    owner: 'k-other',
    origins: [],
    createdAt: '2026-01-07T10:00:00Z',
  },
];

function renderPage(routes: Routes = {}) {
  return renderInApp(<ConnectionsPage />, 'admin', {
    routes: { '/connections': { items: stored }, ...routes },
  });
}

async function openCreate() {
  await userEvent.click(await screen.findByRole('button', { name: 'New connection' }));
  return screen.findByRole('dialog', { name: 'New connection' });
}

describe('connections screen', () => {
  it('lists name, kind, owner, description and creation, and never a secret', async () => {
    renderPage();
    const table = await screen.findByRole('table', { name: 'Connections' });
    const row = (name: string) =>
      within(table).getByText(name, { selector: 'td' }).closest('tr') as HTMLElement;
    await within(table).findByText('crm-api');
    expect(within(row('crm-api')).getByText('shared')).toBeTruthy();
    expect(within(row('crm-api')).getByText('CRM read token')).toBeTruthy();
    expect(within(row('billing')).getByText('you')).toBeTruthy();
    expect(within(row('legacy')).getByText('k-other')).toBeTruthy();
    expect(within(row('legacy')).getByText('header')).toBeTruthy();
    expect(within(table).getAllByRole('button', { name: /^Delete / })).toHaveLength(3);
  });

  it('asks for the secret fields of the chosen kind, as password inputs', async () => {
    const user = userEvent.setup();
    renderPage();
    const dialog = await openCreate();
    const typeOf = (label: string) => within(dialog).getByLabelText(label).getAttribute('type');
    expect(typeOf('Token')).toBe('password');

    await user.selectOptions(within(dialog).getByLabelText('Kind'), 'basic');
    expect(within(dialog).queryByLabelText('Token')).toBeNull();
    expect(typeOf('Username')).toBe('text');
    expect(typeOf('Password')).toBe('password');

    await user.selectOptions(within(dialog).getByLabelText('Kind'), 'header');
    expect(typeOf('Header name')).toBe('text');
    expect(typeOf('Header value')).toBe('password');
    expect(within(dialog).getByRole('checkbox', { name: /^Shared/ })).toHaveProperty(
      'checked',
      true,
    );
  });

  it('creates a connection with its secret and reloads the list', async () => {
    const user = userEvent.setup();
    const { fetch } = renderPage({
      'POST /connections': reply(201, { name: 'mail', kind: 'basic', owner: 'u1' }),
    });
    const dialog = await openCreate();
    await user.type(within(dialog).getByLabelText('Name'), 'mail');
    await user.selectOptions(within(dialog).getByLabelText('Kind'), 'basic');
    await user.type(within(dialog).getByLabelText('Username'), 'robot');
    await user.type(within(dialog).getByLabelText('Password'), 's3cret');
    await user.type(within(dialog).getByLabelText('Sent only to'), 'https://mail.example.com/api');
    await user.click(within(dialog).getByRole('checkbox', { name: /^Shared/ }));
    await user.type(within(dialog).getByLabelText('Description (optional)'), 'SMTP relay');
    await user.click(within(dialog).getByRole('button', { name: 'Create connection' }));

    await screen.findByText('Created connection mail');
    expect(sentBodies(fetch, 'POST /connections')).toEqual([
      {
        name: 'mail',
        kind: 'basic',
        shared: false,
        description: 'SMTP relay',
        origins: ['https://mail.example.com/api'],
        secret: { username: 'robot', password: 's3cret' },
      },
    ]);
    expect(screen.queryByRole('dialog', { name: 'New connection' })).toBeNull();
    await waitFor(() => expect(sentBodies(fetch, 'GET /connections')).toHaveLength(2));
  });

  it('shows the API’s problems at their fields, with their JSON paths', async () => {
    const user = userEvent.setup();
    renderPage({
      'POST /connections': reply(400, {
        error: {
          code: 'invalid_request',
          message: 'The request body is invalid',
          details: [
            { path: '$.name', code: 'invalid_format', message: 'must be 1–64 letters' },
            { path: '$.secret.token', code: 'too_small', message: 'is too short' },
            { path: '$.shared', code: 'invalid_type', message: 'expected boolean' },
          ],
        },
      }),
    });
    const dialog = await openCreate();
    await user.type(within(dialog).getByLabelText('Name'), 'no spaces please');
    await user.type(within(dialog).getByLabelText('Token'), 'x');
    await user.type(within(dialog).getByLabelText('Sent only to'), 'https://x.example');
    await user.click(within(dialog).getByRole('button', { name: 'Create connection' }));

    const name = within(dialog).getByLabelText('Name');
    await waitFor(() => expect(name.getAttribute('aria-invalid')).toBe('true'));
    const nameProblems = document.getElementById(`${name.id}-problems`)!;
    expect(nameProblems.textContent).toBe('$.name must be 1–64 letters');
    const token = within(dialog).getByLabelText('Token');
    expect(document.getElementById(`${token.id}-problems`)!.textContent).toBe(
      '$.secret.token is too short',
    );
    // A problem no field owns is listed at the top, still with its path.
    expect(within(dialog).getByRole('alert').textContent).toBe('$.shared expected boolean');
    // What was typed stays, so it can be corrected.
    expect((token as HTMLInputElement).value).toBe('x');
  });

  it('explains a 503 not_configured: the API has no secret key', async () => {
    const user = userEvent.setup();
    renderPage({
      'POST /connections': reply(503, {
        error: {
          code: 'not_configured',
          message: 'BATCHGRAPH_SECRET_KEY is not set, so secrets cannot be stored',
        },
      }),
    });
    const dialog = await openCreate();
    await user.type(within(dialog).getByLabelText('Name'), 'crm');
    await user.type(within(dialog).getByLabelText('Token'), 't0ken');
    await user.type(within(dialog).getByLabelText('Sent only to'), 'https://crm.example.com');
    await user.click(within(dialog).getByRole('button', { name: 'Create connection' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toMatch(/The API cannot store secrets yet/);
    expect(alert.textContent).toMatch(/BATCHGRAPH_SECRET_KEY/);
    expect(alert.textContent).toMatch(/openssl rand -base64 32/);
  });

  it('deletes a connection after confirmation', async () => {
    const user = userEvent.setup();
    const { fetch } = renderPage({ 'DELETE /connections/legacy': reply(204) });
    await user.click(await screen.findByRole('button', { name: 'Delete legacy' }));
    const confirm = await screen.findByRole('dialog', { name: 'Delete this connection?' });
    expect(sentBodies(fetch, 'DELETE /connections/legacy')).toHaveLength(0);
    await user.click(within(confirm).getByRole('button', { name: 'Delete' }));
    await screen.findByText('Deleted connection legacy');
    expect(sentBodies(fetch, 'DELETE /connections/legacy')).toHaveLength(1);
  });

  it('is for administrators only', async () => {
    renderInApp(<ConnectionsPage />, 'operator');
    expect(await screen.findByText('Connections are managed by administrators.')).toBeTruthy();
  });
});
