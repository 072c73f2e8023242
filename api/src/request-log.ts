/**
 * Request logging: one JSON line per request (pino-http) that never carries credentials and names
 * the job, run and task it was about, so API lines join the worker's lines on the same ids.
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

const SUBJECT = /^\/api\/(jobs|runs)\/([^/?#]+)(?:\/tasks\/([^/?#]+))?/;

/** `{ jobId }` or `{ runId, taskId? }` from a request's path; `{}` for other routes. */
export function requestSubject(url: string): Record<string, string> {
  const match = SUBJECT.exec(url);
  if (!match) return {};
  const [, collection, id = '', taskId] = match;
  const decoded = safeDecode(id);
  if (collection === 'jobs') return decoded === 'import' ? {} : { jobId: decoded };
  return taskId === undefined ? { runId: decoded } : { runId: decoded, taskId: safeDecode(taskId) };
}

/** EventSource cannot send headers, so the SSE route takes its key in the query: keep it out of logs. */
export function withoutToken(url: string): string {
  return url.replace(/([?&]access_token=)[^&#]*/g, '$1[redacted]');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    autoLogging: { ignore: (req) => req.url === '/metrics' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.query.access_token'],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { url?: string }) => ({ ...req, url: withoutToken(req.url ?? '') }),
    },
    customProps: (req: IncomingMessage) => requestSubject(req.url ?? ''),
  });
}
