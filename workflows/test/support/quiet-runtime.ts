/** Test setup: the SDK logs only errors, so test output shows what failed. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
} catch (error) {
  // A runtime is per process; a file that runs in a reused process finds it installed already.
  if (!(error instanceof Error && /already/i.test(error.message))) throw error;
}
