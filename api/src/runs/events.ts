/**
 * Server-Sent Events for one run: `run` with the view whenever it changes, `end` once the run
 * is closed. Polls the (cached) view every half second; stops when the client goes away.
 */
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { toHttpError } from '../errors';
import type { RunDetails } from './reader';

const POLL_MS = 500;
const HEARTBEAT_MS = 15_000;

export async function streamRunEvents(
  req: Request,
  res: Response,
  read: () => Promise<RunDetails>,
  logger: Logger,
): Promise<void> {
  // The first read answers 404/503 as plain JSON errors before the stream starts.
  let view = await read();
  res.status(200).set({
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  let closed = false;
  let last = '';
  let lastWrite = Date.now();
  const send = (event: string, data: string): void => {
    res.write(`event: ${event}\ndata: ${data}\n\n`);
    lastWrite = Date.now();
  };
  const finish = (): void => {
    closed = true;
    res.end();
  };
  req.on('close', () => {
    closed = true;
  });
  while (!closed) {
    const json = JSON.stringify(view);
    if (json !== last) {
      send('run', json);
      last = json;
    }
    if (view.status !== 'running') {
      send('end', JSON.stringify({ status: view.status }));
      finish();
      return;
    }
    if (Date.now() - lastWrite >= HEARTBEAT_MS) {
      res.write(': heartbeat\n\n');
      lastWrite = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (closed) return;
    try {
      view = await read();
    } catch (error) {
      const http = toHttpError(error);
      logger.warn({ err: error }, 'run events: read failed');
      send('error', JSON.stringify({ code: http.code, message: http.message }));
      if (http.status !== 503) {
        finish();
        return;
      }
    }
  }
}
