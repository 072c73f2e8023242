/**
 * Container health probe: exits 0 when GET http://127.0.0.1:<port><path> answers 2xx, 1 otherwise.
 * The port comes from an environment variable so that the probe follows the configuration.
 * Written in plain Node because the slim base image has neither curl nor wget.
 *
 * Usage: node healthcheck.mjs <PORT_VARIABLE> <path>
 */
const TIMEOUT_MS = 4000;

const [portVariable, path] = process.argv.slice(2);
const port = portVariable ? process.env[portVariable] : undefined;
if (!portVariable || !path?.startsWith('/') || !port) {
  console.error('usage: node healthcheck.mjs <PORT_VARIABLE> </path>, with PORT_VARIABLE set');
  process.exit(1);
}

const url = `http://127.0.0.1:${port}${path}`;
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  await response.body?.cancel();
  if (!response.ok) console.error(`${url} answered ${response.status}`);
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.error(`${url} is unreachable: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
