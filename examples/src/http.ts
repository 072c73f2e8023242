/**
 * What every HTTP stand-in shares: listening on loopback only, bearer-token checks like the real
 * systems do, and JSON errors shaped the way their APIs answer.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type RequestHandler } from 'express';

export interface RunningServer {
  name: string;
  port: number;
  /** Origin such as http://127.0.0.1:4011, without a trailing slash. */
  url: string;
  close(): Promise<void>;
}

export class StandinError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StandinError';
  }
}

/** A JSON Express app for one stand-in. */
export function jsonApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));
  return app;
}

/** Serves an app on 127.0.0.1 (port 0 picks a free port). */
export function listen(name: string, app: Express, port: number): Promise<RunningServer> {
  const server = createServer(app);
  return new Promise((resolve, reject) => {
    server.once('error', (error) => {
      reject(
        new StandinError(`${name} stand-in could not listen on 127.0.0.1:${port}`, {
          cause: error,
        }),
      );
    });
    server.listen(port, '127.0.0.1', () => {
      const bound = (server.address() as AddressInfo).port;
      resolve({
        name,
        port: bound,
        url: `http://127.0.0.1:${bound}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** Refuses requests without `Authorization: Bearer <token>`, as the remote API would. */
export function requireBearer(token: string): RequestHandler {
  return (req, res, next) => {
    if (req.get('authorization') === `Bearer ${token}`) {
      next();
      return;
    }
    res.status(401).json({ error: 'a valid bearer token is required' });
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
