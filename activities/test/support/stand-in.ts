/**
 * A local stand-in for the remote HTTP systems tasks call: records every request, can fail the
 * first N requests of a key (a path or an Idempotency-Key), and answers per route.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** Strings are sent as text/plain, anything else as JSON. */
  body?: unknown;
  /** Wait this long before answering (stops when the client goes away). */
  delayMs?: number;
}

export type Route = (request: RecordedRequest) => Reply;

export class StandIn {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, Route>();
  private readonly failures = new Map<string, { remaining: number; status: number }>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<StandIn> {
    const server = createServer();
    const standIn = new StandIn(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://stand-in');
        const request: RecordedRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        standIn.requests.push(request);
        const reply = standIn.reply(request);
        const send = (): void => {
          const text =
            typeof reply.body === 'string'
              ? reply.body
              : JSON.stringify(reply.body ?? { ok: true });
          const type = typeof reply.body === 'string' ? 'text/plain' : 'application/json';
          res.writeHead(reply.status ?? 200, { 'content-type': type, ...reply.headers });
          res.end(text);
        };
        if (!reply.delayMs) return send();
        const timer = setTimeout(send, reply.delayMs);
        res.on('close', () => clearTimeout(timer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  route(path: string, route: Route): void {
    this.routes.set(path, route);
  }

  /** The first `count` requests with this path or Idempotency-Key get `status`. */
  failFirst(key: string, count: number, status = 503): void {
    this.failures.set(key, { remaining: count, status });
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  private reply(request: RecordedRequest): Reply {
    const keys = [String(request.headers['idempotency-key']), request.path];
    for (const key of keys) {
      const failure = this.failures.get(key);
      if (failure && failure.remaining > 0) {
        failure.remaining -= 1;
        return { status: failure.status, body: `stand-in failure for ${key}` };
      }
    }
    const route = this.routes.get(request.path);
    if (!route) return { body: { ok: true, method: request.method, path: request.path } };
    try {
      return route(request);
    } catch (error) {
      return { status: 500, body: `stand-in route failed: ${String(error)}` };
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
