/**
 * The demo connections the example jobs name. The local stack creates them through
 * `POST /api/connections` (as the admin identity) so the examples run as they are; the tokens
 * are the ones the stand-ins accept. Demo values only: real connections hold real secrets.
 */

import { defaultPorts } from './ports';

export const IAM_TOKEN = 'iam-demo-token-4011';
export const ERP_TOKEN = 'erp-demo-token-4015';

export type DemoSecret =
  { token: string } | { username: string; password: string } | { header: string; value: string };

/** The body of `POST /api/connections`. */
export interface DemoConnection {
  name: string;
  kind: 'bearer' | 'basic' | 'header';
  /** Shared connections serve every identity; the others only the identity that created them. */
  shared: boolean;
  description: string;
  /** The stand-in's base URLs: the only places the secret is sent to. */
  origins: string[];
  secret: DemoSecret;
}

const standIn = (port: number): string[] => [
  `http://127.0.0.1:${port}`,
  `http://localhost:${port}`,
];

export const demoConnections: readonly DemoConnection[] = [
  {
    name: 'iam-demo',
    kind: 'bearer',
    shared: true,
    description: 'Bearer token of the IAM stand-in (identity-lifecycle example)',
    origins: standIn(defaultPorts.iam),
    secret: { token: IAM_TOKEN },
  },
  {
    name: 'erp-demo',
    kind: 'bearer',
    shared: false,
    description:
      'Bearer token of the ERP stand-in, owned by its creator: the erp-batch example runs with it',
    origins: standIn(defaultPorts.erp),
    secret: { token: ERP_TOKEN },
  },
];
