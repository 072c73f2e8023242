/**
 * Renders editor parts as the app does: a signed-in session (the API's /api/me answered by a
 * stub fetch, the only part of the API these component tests need), a data router and toasts.
 */
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { vi } from 'vitest';
import type { Role } from '../src/api/types';
import { SessionProvider, useSession } from '../src/shell/session';
import { ToastProvider } from '../src/ui/Toasts';

function Signed({ children }: { children: ReactNode }) {
  const { me } = useSession();
  return me ? children : <p>signing in</p>;
}

export function stubApi(role: Role, routes: Record<string, unknown> = {}) {
  localStorage.setItem('batchgraph.apiKey', 'test-key-0123456789');
  const fetchStub = vi.fn(async (input: RequestInfo | URL) => {
    const url = new URL(String(input), 'http://localhost');
    const path = url.pathname.replace(/^\/api/, '');
    const body = path === '/me' ? { id: 'u1', name: 'Ada', role } : routes[path];
    if (body === undefined) {
      return new Response(JSON.stringify({ error: { code: 'not_found', message: `no ${path}` } }), {
        status: 404,
      });
    }
    return new Response(JSON.stringify(body), { status: 200 });
  });
  vi.stubGlobal('fetch', fetchStub);
  return fetchStub;
}

export function renderInApp(element: ReactNode, role: Role = 'admin') {
  stubApi(role);
  const router = createMemoryRouter([{ path: '*', element: <Signed>{element}</Signed> }]);
  return render(
    <ToastProvider>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </ToastProvider>,
  );
}
