/**
 * Where the stand-ins listen. The example job files call these default ports, so the local stack
 * runs them as they are. Variables read only by the stand-ins' own entry (src/standins.ts), not by
 * the product:
 * - BATCHGRAPH_STANDIN_PORT_BASE (default 4010): HTTP stand-ins at base+1 … base+5, inbox at base+15;
 * - BATCHGRAPH_STANDIN_SMTP_PORT: the SMTP sink; default the port of a loopback
 *   BATCHGRAPH_SMTP_URL (so the product's mail goes to the sink), else 2525.
 */
import { z } from 'zod';
import { StandinError } from './http';

export interface StandinPorts {
  iam: number;
  catalog: number;
  entities: number;
  network: number;
  erp: number;
  smtp: number;
  inbox: number;
}

/** The stand-ins that answer HTTP (all but the SMTP sink). */
export type HttpStandin = Exclude<keyof StandinPorts, 'smtp'>;

/** The origin each HTTP stand-in listens on, e.g. iam → http://127.0.0.1:4011. */
export function standinOrigins(ports: StandinPorts): Record<HttpStandin, string> {
  const { smtp: _smtp, ...http } = ports;
  return Object.fromEntries(
    Object.entries(http).map(([name, port]) => [name, `http://127.0.0.1:${port}`]),
  ) as Record<HttpStandin, string>;
}

export const DEFAULT_PORT_BASE = 4010;
export const DEFAULT_SMTP_PORT = 2525;

export const defaultPorts: StandinPorts = portsFromBase(DEFAULT_PORT_BASE, DEFAULT_SMTP_PORT);

function portsFromBase(base: number, smtp: number): StandinPorts {
  return {
    iam: base + 1,
    catalog: base + 2,
    entities: base + 3,
    network: base + 4,
    erp: base + 5,
    smtp,
    inbox: base + 15,
  };
}

const port = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  BATCHGRAPH_STANDIN_PORT_BASE: port.max(65535 - 15).default(DEFAULT_PORT_BASE),
  BATCHGRAPH_STANDIN_SMTP_PORT: port.optional(),
  BATCHGRAPH_SMTP_URL: z.string().optional(),
});

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function smtpUrlPort(url: string | undefined): number | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    return LOOPBACK.has(parsed.hostname) && parsed.port !== '' ? Number(parsed.port) : undefined;
  } catch {
    return undefined;
  }
}

/** The ports named by the environment; empty variables count as unset. */
export function portsFromEnv(env: Record<string, string | undefined>): StandinPorts {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(set);
  if (!parsed.success) {
    throw new StandinError(
      `Invalid stand-in ports: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const { data } = parsed;
  const smtp =
    data.BATCHGRAPH_STANDIN_SMTP_PORT ?? smtpUrlPort(data.BATCHGRAPH_SMTP_URL) ?? DEFAULT_SMTP_PORT;
  return portsFromBase(data.BATCHGRAPH_STANDIN_PORT_BASE, smtp);
}
