/** GET /api/health: whether Temporal and MongoDB answer, with their versions. */
import type { RequestHandler } from 'express';
import type { Services } from './context';
import { temporalVersion } from './temporal';

interface Part {
  ok: boolean;
  version?: string;
  error?: string;
}

async function check(probe: () => Promise<string>): Promise<Part> {
  try {
    return { ok: true, version: await probe() };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export function healthHandler(services: Services): RequestHandler {
  return async (_req, res) => {
    const [temporal, mongodb] = await Promise.all([
      check(() => temporalVersion(services.temporal)),
      check(async () => {
        const info = await services.database.db
          .admin()
          .command({ buildInfo: 1 }, { timeoutMS: 2000 });
        return String(info['version']);
      }),
    ]);
    const ok = temporal.ok && mongodb.ok;
    const down = [temporal.ok ? undefined : 'Temporal', mongodb.ok ? undefined : 'MongoDB'].filter(
      Boolean,
    );
    res.status(ok ? 200 : 503).json({
      status: ok ? 'ok' : 'degraded',
      ...(ok ? {} : { message: `${down.join(' and ')} unavailable` }),
      temporal: {
        ...temporal,
        address: services.temporal.address,
        namespace: services.temporal.namespace,
      },
      mongodb,
    });
  };
}
