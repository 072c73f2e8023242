/**
 * The demo connections the example jobs name. The local stack creates them at start
 * (scripts/load-examples.ts, as the admin identity, idempotently) so the examples run as they are;
 * the tokens are the ones the stand-ins accept. Demo values only: real connections hold real
 * secrets.
 */
import type { HttpStandin } from './ports';

import { defaultPorts } from './ports';

export const IAM_TOKEN = 'iam-demo-token-4011';
export const ERP_TOKEN = 'erp-demo-token-4015';

export type DemoSecret =
  { token: string } | { username: string; password: string } | { header: string; value: string };

export interface DemoConnection {
  name: string;
  kind: 'bearer' | 'basic' | 'header';
  /** Shared connections serve every identity; the others only the identity that created them. */
  shared: boolean;
  description: string;
  /** The stand-in's base URLs: the only places the secret is sent to. */
  origins: string[];
  secret: DemoSecret;
  /** The stand-in this connection's secret is for: its origin is the only one it belongs to. */
  standin: HttpStandin;
}

/** The body of `POST /api/connections`. */
export type ConnectionRequest = Omit<DemoConnection, 'standin'>;

/** A stand-in's base URLs, by address and by name: the only places its secret is sent to. */
const standInOrigins = (origin: string): string[] => [
  origin,
  origin.replace('//127.0.0.1:', '//localhost:'),
];

export const demoConnections: readonly DemoConnection[] = [
  {
    name: 'iam-demo',
    kind: 'bearer',
    shared: true,
    description: 'Bearer token of the IAM stand-in (identity-lifecycle example)',
    origins: standInOrigins(`http://127.0.0.1:${defaultPorts.iam}`),
    secret: { token: IAM_TOKEN },
    standin: 'iam',
  },
  {
    name: 'erp-demo',
    kind: 'bearer',
    shared: false,
    description:
      'Bearer token of the ERP stand-in, owned by its creator: the erp-batch example runs with it',
    origins: standInOrigins(`http://127.0.0.1:${defaultPorts.erp}`),
    secret: { token: ERP_TOKEN },
    standin: 'erp',
  },
];

/**
 * The request that creates `connection` for stand-ins listening on `origins`: bound to the
 * stand-in's real base URLs, wherever the stack put it.
 */
export function connectionRequest(
  connection: DemoConnection,
  origins: Record<HttpStandin, string>,
): ConnectionRequest {
  const { standin, ...request } = connection;
  return { ...request, origins: standInOrigins(origins[standin]) };
}
