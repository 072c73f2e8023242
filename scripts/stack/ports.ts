import { createServer } from 'node:net';
import { StackError } from './errors';

/** A port the stack is about to bind, with the words a developer needs when it is taken. */
export interface PortClaim {
  port: number;
  label: string;
  variable: string;
}

export class PortInUseError extends StackError {
  override readonly complete = true;

  constructor(
    readonly claim: PortClaim,
    options?: ErrorOptions,
  ) {
    super(
      `port ${claim.port} (${claim.label}) is already in use — set ${claim.variable} or stop the other process`,
      options,
    );
    this.name = 'PortInUseError';
  }
}

/** Reads a port number from the environment, falling back to a default when it is unset. */
export function readPort(
  env: Record<string, string | undefined>,
  variable: string,
  fallback: number,
): number {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new StackError(`${variable} must be a port number between 1 and 65535, not "${raw}"`);
  }
  return port;
}

function probe(claim: PortClaim): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new PortInUseError(claim, { cause: error }));
      else
        reject(new StackError(`cannot bind port ${claim.port} (${claim.label})`, { cause: error }));
    });
    server.listen({ port: claim.port, host: '127.0.0.1', exclusive: true }, () => {
      server.close(() => resolve());
    });
  });
}

/**
 * Checks every port before anything starts, so a clash is one clear line rather than a server
 * dying halfway through start-up with its own error in a log file.
 */
export async function assertPortsFree(claims: readonly PortClaim[]): Promise<void> {
  const seen = new Map<number, PortClaim>();
  for (const claim of claims) {
    const earlier = seen.get(claim.port);
    if (earlier) {
      throw new StackError(
        `port ${claim.port} is configured for both ${earlier.label} (${earlier.variable}) and ${claim.label} (${claim.variable})`,
      );
    }
    seen.set(claim.port, claim);
  }
  for (const claim of claims) await probe(claim);
}
