/**
 * The product's configuration: one zod schema over the environment, shared by the API, the worker
 * and the local stack. Pure: callers pass `process.env`, so the engine stays free of Node APIs.
 * `deploy/.env.example` documents every variable; a test keeps the two in step.
 */
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .transform((value) => value === 'true' || value === '1');
const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

export const configSchema = z
  .object({
    TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().default('default'),
    TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),
    TEMPORAL_TLS_CLIENT_CERT_PATH: z.string().optional(),
    TEMPORAL_TLS_CLIENT_KEY_PATH: z.string().optional(),
    TEMPORAL_API_KEY: z.string().optional(),
    MONGODB_URI: z.string().default('mongodb://127.0.0.1:27017'),
    MONGODB_DB: z.string().default('batchgraph'),
    BATCHGRAPH_TASK_QUEUE: z.string().default('batchgraph'),
    BATCHGRAPH_WORKER_QUEUES: list.optional(),
    BATCHGRAPH_WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).default(30),
    BATCHGRAPH_WORKER_WAIT_WARN_SECONDS: z.coerce.number().min(0).default(10),
    BATCHGRAPH_API_HOST: z.string().default('127.0.0.1'),
    BATCHGRAPH_API_PORT: port.default(3000),
    BATCHGRAPH_PUBLIC_URL: z.url().default('http://127.0.0.1:5173'),
    BATCHGRAPH_EDITOR_ORIGIN: z.string().default('http://127.0.0.1:5173'),
    BATCHGRAPH_ADMIN_KEY: z.string().min(16).optional(),
    /** Proxies whose X-Forwarded-For the API believes (Express `trust proxy`: addresses, CIDRs, loopback…); empty: none. */
    BATCHGRAPH_TRUSTED_PROXIES: list.default([]),
    BATCHGRAPH_SECRET_KEY: z.string().min(32).optional(),
    /** Keys that encrypt what goes to Temporal: `id:base64key,…`, the current one first; empty: none. */
    BATCHGRAPH_PAYLOAD_KEYS: list.default([]),
    BATCHGRAPH_BODY_LIMIT: z.string().default('1mb'),
    BATCHGRAPH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(6000),
    /** The longest period one backfill may cover. */
    BATCHGRAPH_BACKFILL_MAX_DAYS: z.coerce.number().int().positive().default(366),
    BATCHGRAPH_HTTP_ALLOWED_HOSTS: list.default([]),
    // Data limits (DESIGN.md, Data and limits): ours, enforced before Temporal's.
    BATCHGRAPH_MAX_TASK_OUTPUT_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(16 * 1024 * 1024),
    BATCHGRAPH_MAX_RUN_INPUT_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(512 * 1024),
    BATCHGRAPH_MAX_PLAN_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .max(1024 * 1024)
      .default(1024 * 1024),
    /** host:port addresses http tasks may never call, besides the product's own (derived). */
    BATCHGRAPH_HTTP_PROTECTED: list.default([]),
    /** Response headers redacted from http task outputs besides the built-in credential headers. */
    BATCHGRAPH_HTTP_REDACT_HEADERS: list.default([]),
    BATCHGRAPH_COMMANDS_ALLOWED: list.default([]),
    BATCHGRAPH_SMTP_URL: z.string().optional(),
    BATCHGRAPH_MAIL_FROM: z.string().default('Batchgraph <batchgraph@localhost>'),
    BATCHGRAPH_LOG_LEVEL: z
      .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal'])
      .default('info'),
    BATCHGRAPH_METRICS_HOST: z.string().default('127.0.0.1'),
    BATCHGRAPH_METRICS_PORT: port.optional(),
    BATCHGRAPH_OTEL_ENABLED: flag.default(false),
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  })
  .superRefine((config, context) => {
    // A certificate without its key (or the reverse) cannot open an mTLS connection.
    const cert = config.TEMPORAL_TLS_CLIENT_CERT_PATH;
    const key = config.TEMPORAL_TLS_CLIENT_KEY_PATH;
    if ((cert === undefined) !== (key === undefined)) {
      context.addIssue({
        code: 'custom',
        path: [
          cert === undefined ? 'TEMPORAL_TLS_CLIENT_CERT_PATH' : 'TEMPORAL_TLS_CLIENT_KEY_PATH',
        ],
        message:
          'set both TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH, or neither',
      });
    }
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration from an environment record; empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = configSchema.safeParse(set);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  return parsed.data;
}
