/**
 * A local stand-in for the remote HTTP systems that tasks call (node:http on 127.0.0.1:0). It
 * records every request in order, fails the first N requests of a path, holds requests until the
 * test releases them, and tracks how many requests were in flight at once.
 *
 * - `/t/<key>?fail=N&then=S&ms=M&hold=<name>&bytes=B` → `{ key, count }`, after the options apply
 *   (fail: first N requests of the path get 500, 99 = always; then: later requests get status S
 *   instead of 200; ms: answer after M ms;
 *   hold: wait for `release(name)`; bytes: a body of about B bytes).
 * - `/item/<n>` → 404 when n is a multiple of 7, else `{ outcome: 'added' | 'updated' }`.
 * - `/list/<n>` → `{ items: [1, …, n] }`, a foreach's item source.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  seq: number;
  path: string;
  idempotencyKey: string | undefined;
}

export class StandIn {
  readonly requests: Recorded[] = [];
  private readonly counts = new Map<string, number>();
  private readonly held = new Map<string, (() => void)[]>();
  private readonly released = new Set<string>();
  private active = 0;
  maxActive = 0;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<StandIn> {
    const server = createServer();
    const standIn = new StandIn(server);
    server.on('request', (req, res) => {
      req.resume();
      req.on('end', () => standIn.handle(req.url ?? '/', req.headers['idempotency-key'], res));
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  /** Requests that reached a path so far. */
  count(path: string): number {
    return this.counts.get(path) ?? 0;
  }

  /** Lets every request held under `name` (now or later) answer. */
  release(name: string): void {
    this.released.add(name);
    for (const resume of this.held.get(name) ?? []) resume();
    this.held.delete(name);
  }

  /** Resolves once a request is being held under `name`. */
  async waitForHeld(name: string): Promise<void> {
    while ((this.held.get(name)?.length ?? 0) === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(rawUrl: string, key: string | string[] | undefined, res: ServerResponse): void {
    const url = new URL(rawUrl, 'http://stand-in');
    const path = url.pathname;
    const count = this.count(path) + 1;
    this.counts.set(path, count);
    const idempotencyKey = typeof key === 'string' ? key : undefined;
    this.requests.push({ seq: this.requests.length, path, idempotencyKey });
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    let done = false;
    const reply = (status: number, body: unknown): void => {
      if (done) return;
      done = true;
      this.active -= 1;
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    res.on('close', () => {
      if (!done) {
        done = true;
        this.active -= 1;
      }
    });
    if (path.startsWith('/item/')) {
      const n = Number(path.slice('/item/'.length));
      if (n % 7 === 0) return reply(404, { error: `no item ${n}` });
      return reply(200, { outcome: n % 2 === 1 ? 'added' : 'updated' });
    }
    if (path.startsWith('/list/')) {
      const n = Number(path.slice('/list/'.length));
      return reply(200, { items: Array.from({ length: n }, (_, i) => i + 1) });
    }
    const query = url.searchParams;
    const answer = (): void => {
      const fail = Number(query.get('fail') ?? 0);
      if (count <= fail) return reply(500, { error: `failing request ${count} of ${path}` });
      const then = Number(query.get('then') ?? 200);
      if (then !== 200) return reply(then, { error: `request ${count} of ${path} gets ${then}` });
      const bytes = Number(query.get('bytes') ?? 0);
      reply(200, { key: path.slice(3), count, ...(bytes > 0 ? { pad: 'x'.repeat(bytes) } : {}) });
    };
    const afterDelay = (): void => {
      const ms = Number(query.get('ms') ?? 0);
      if (ms > 0) setTimeout(answer, ms);
      else answer();
    };
    const hold = query.get('hold');
    if (hold && !this.released.has(hold)) {
      this.held.set(hold, [...(this.held.get(hold) ?? []), afterDelay]);
    } else afterDelay();
  }
}
