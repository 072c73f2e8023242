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

/** An answer other than 200 with a JSON body (e.g. 202, 400 with an error, 503). */
export interface Reply {
  status: number;
  body?: unknown;
}
const replies = new WeakSet<Reply>();
export function reply(status: number, body?: unknown): Reply {
  const answer = { status, body };
  replies.add(answer);
  return answer;
}

/**
 * Answers by "METHOD /path" (or "/path" for GET): a JSON body (200), a `reply(...)`, or a function
 * of the request body giving either. Anything else is a 404 as the API sends it.
 */
export type Routes = Record<string, unknown>;

export function stubApi(role: Role, routes: Routes = {}) {
  localStorage.setItem('batchgraph.apiKey', 'test-key-0123456789');
  const fetchStub = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    const path = url.pathname.replace(/^\/api/, '');
    const method = init?.method ?? 'GET';
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    let answer: unknown =
      path === '/me'
        ? { id: 'u1', name: 'Ada', role }
        : (routes[`${method} ${path}`] ?? (method === 'GET' ? routes[path] : undefined));
    if (typeof answer === 'function') answer = (answer as (body: unknown) => unknown)(body);
    if (answer === undefined) {
      return new Response(JSON.stringify({ error: { code: 'not_found', message: `no ${path}` } }), {
        status: 404,
      });
    }
    const { status, body: payload } =
      typeof answer === 'object' && answer !== null && replies.has(answer as Reply)
        ? (answer as Reply)
        : { status: 200, body: answer };
    return new Response(payload === undefined ? null : JSON.stringify(payload), { status });
  });
  vi.stubGlobal('fetch', fetchStub);
  return fetchStub;
}

/** The JSON bodies sent to "METHOD /path", in order. */
export function sentBodies(fetchStub: ReturnType<typeof stubApi>, route: string): unknown[] {
  return fetchStub.mock.calls
    .filter(([input, init]) => {
      const path = new URL(String(input), 'http://localhost').pathname.replace(/^\/api/, '');
      return `${init?.method ?? 'GET'} ${path}` === route;
    })
    .map(([, init]) => (typeof init?.body === 'string' ? JSON.parse(init.body) : undefined));
}

interface RenderOptions {
  routes?: Routes;
  /** A route pattern and the address to open, for parts that read route params. */
  path?: string;
  at?: string;
}

export function renderInApp(element: ReactNode, role: Role = 'admin', options: RenderOptions = {}) {
  const fetchStub = stubApi(role, options.routes);
  const router = createMemoryRouter(
    [{ path: options.path ?? '*', element: <Signed>{element}</Signed> }],
    { initialEntries: [options.at ?? '/'] },
  );
  const result = render(
    <ToastProvider>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </ToastProvider>,
  );
  return { ...result, fetch: fetchStub };
}
