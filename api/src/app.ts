/** createApp(deps): the Express application, without listening, so tests run it in-process. */
import cors from 'cors';
import express, { type Express } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { auditRoutes } from './audit';
import { authenticate, requireRole } from './auth';
import { codecRoutes } from './codec-server';
import { connectionRoutes } from './connections';
import { createServices, type AppDeps, type Services } from './context';
import { errorHandler, HttpError, notFoundHandler } from './errors';
import { healthHandler } from './health';
import { jobRoutes } from './jobs/routes';
import { jsonDepthLimit } from './json-depth';
import { keyRoutes } from './keys';
import { metricsHandler, requestMetrics } from './metrics';
import { docsRoutes } from './openapi';
import { runRoutes } from './runs/routes';
import { requestLogger } from './request-log';
import { scheduleRoutes } from './schedules/routes';
import { workerRoutes } from './workers';

export function createApp(deps: AppDeps): { app: Express; services: Services } {
  const services = createServices(deps);
  const { config, logger, metrics } = services;
  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-For (the client address in the audit log and the rate limits) only from the
  // proxies the configuration names.
  const proxies = config.BATCHGRAPH_TRUSTED_PROXIES;
  app.set('trust proxy', proxies.length > 0 ? proxies : false);
  app.set('query parser', 'simple');

  app.use(requestLogger(logger));
  app.use(requestMetrics(metrics));
  app.use(helmet());
  // Before the API's CORS: Temporal UI, not the editor, calls it.
  if (deps.temporal.codecs.length > 0) {
    app.use(codecRoutes(deps.temporal.codecs, services.keys, config.TEMPORAL_UI_URL));
  }
  app.use(cors({ origin: config.BATCHGRAPH_EDITOR_ORIGIN, maxAge: 600 }));
  // Metrics name jobs: operators and admins only (Prometheus scrapes with an operator key).
  app.get(
    '/metrics',
    authenticate(services.keys),
    requireRole('operator'),
    metricsHandler(metrics),
  );

  const api = express.Router();
  api.use(
    rateLimit({
      windowMs: 60_000,
      limit: config.BATCHGRAPH_RATE_LIMIT_PER_MINUTE,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, _res, next) => {
        next(new HttpError(429, 'rate_limited', 'Too many requests; slow down and retry shortly'));
      },
    }),
  );
  api.use(express.json({ limit: config.BATCHGRAPH_BODY_LIMIT, strict: false }));
  api.use(jsonDepthLimit());
  api.get('/health', healthHandler(services));
  api.use(docsRoutes());
  api.use(authenticate(services.keys));
  api.use(keyRoutes(services));
  api.use(jobRoutes(services));
  api.use(scheduleRoutes(services));
  api.use(runRoutes(services));
  api.use(auditRoutes(services.database));
  api.use(connectionRoutes(services));
  api.use(workerRoutes(services));
  app.use('/api', api);

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return { app, services };
}
