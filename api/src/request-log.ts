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

/**
 * EventSource cannot send headers, so the SSE route takes its key in the query: keep it out of
 * logs however its name is spelled (`access%5Ftoken`, `ACCESS_TOKEN`, `access_token[]`).
 */
export function withoutToken(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const hash = url.indexOf('#', at);
  const query = url.slice(at + 1, hash < 0 ? undefined : hash);
  const redacted = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = safeDecode((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
      return /^access_token/i.test(name.trim())
        ? `${pair.slice(0, eq < 0 ? undefined : eq)}=[redacted]`
        : pair;
    })
    .join('&');
  return `${url.slice(0, at + 1)}${redacted}${hash < 0 ? '' : url.slice(hash)}`;
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
      req: (req: { url?: string; query?: Record<string, unknown> }) => ({
        ...req,
        url: withoutToken(req.url ?? ''),
        ...(req.query === undefined
          ? {}
          : {
              query: Object.fromEntries(
                Object.entries(req.query).map(([name, value]) => [
                  name,
                  /^access_token/i.test(name.trim()) ? '[redacted]' : value,
                ]),
              ),
            }),
      }),
    },
    customProps: (req: IncomingMessage) => requestSubject(req.url ?? ''),
  });
}
