import { lazy } from 'react';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { JobsPage } from './jobs/JobsPage';
import { AppShell } from './shell/AppShell';
import { SessionProvider, useSession } from './shell/session';
import { SignIn } from './shell/SignIn';
import { ToastProvider } from './ui/Toasts';

// The canvas, the run view and the admin screens load on first use, keeping the first paint small.
const EditorPage = lazy(() => import('./editor/EditorPage'));
const RunsPage = lazy(() => import('./runs/RunsPage'));
const RunPage = lazy(() => import('./runs/RunPage'));
const AuditPage = lazy(() => import('./admin/AuditPage'));
const KeysPage = lazy(() => import('./admin/KeysPage'));

const router = createBrowserRouter([
  {
    element: <AppShell />,
    children: [
      { index: true, element: <Navigate to="/jobs" replace /> },
      { path: 'jobs', element: <JobsPage /> },
      { path: 'jobs/new', element: <EditorPage /> },
      { path: 'jobs/:jobId', element: <EditorPage /> },
      { path: 'jobs/:jobId/runs', element: <RunsPage /> },
      { path: 'runs', element: <RunsPage /> },
      { path: 'runs/:runId', element: <RunPage /> },
      { path: 'audit', element: <AuditPage /> },
      { path: 'admin', element: <KeysPage /> },
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
