import type { ComponentType } from 'react';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { JobsPage } from './jobs/JobsPage';
import { AppShell } from './shell/AppShell';
import { SessionProvider, useSession } from './shell/session';
import { SignIn } from './shell/SignIn';
import { ToastProvider } from './ui/Toasts';

/**
 * The canvas, the run view and the admin screens load on first use, keeping the first paint small.
 * As route modules the router starts fetching the one a URL needs at once, while the session is
 * still being checked, instead of after it.
 */
const page = (load: () => Promise<{ default: ComponentType }>) => async () => ({
  Component: (await load()).default,
});
const editorPage = page(() => import('./editor/EditorPage'));
const runsPage = page(() => import('./runs/RunsPage'));

const router = createBrowserRouter([
  {
    element: <AppShell />,
    hydrateFallbackElement: <p className="empty">Loading…</p>,
    children: [
      { index: true, element: <Navigate to="/jobs" replace /> },
      { path: 'jobs', element: <JobsPage /> },
      { path: 'jobs/new', lazy: editorPage },
      { path: 'jobs/:jobId', lazy: editorPage },
      { path: 'jobs/:jobId/runs', lazy: runsPage },
      { path: 'runs', lazy: runsPage },
      { path: 'runs/:runId', lazy: page(() => import('./runs/RunPage')) },
      { path: 'workers', lazy: page(() => import('./runs/WorkersPage')) },
      { path: 'audit', lazy: page(() => import('./admin/AuditPage')) },
      { path: 'admin', lazy: page(() => import('./admin/KeysPage')) },
      { path: 'admin/connections', lazy: page(() => import('./admin/ConnectionsPage')) },
      { path: '*', element: <p className="empty">There is nothing at this address.</p> },
    ],
  },
]);

function Gate() {
  const { me, checking } = useSession();
  if (checking) return <p className="empty">Signing in…</p>;
  if (!me) return <SignIn />;
  return <RouterProvider router={router} />;
}

export function App() {
  return (
    <ToastProvider>
      <SessionProvider>
        <Gate />
      </SessionProvider>
    </ToastProvider>
  );
}
