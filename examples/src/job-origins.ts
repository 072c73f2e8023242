/**
 * The example job files call the stand-ins on their default ports (http://127.0.0.1:4011 …).
 * When the stand-ins listen elsewhere (BATCHGRAPH_STANDIN_PORT_BASE, or free ports in tests), the
 * job text is pointed at the origins they really have before it is imported.
 */
import { defaultPorts, standinOrigins, type HttpStandin } from './ports';

const defaultOrigins = standinOrigins(defaultPorts);

/** The job file's text with every default stand-in origin replaced by the one in `origins`. */
export function pointJobAtStandins(
  text: string,
  origins: Partial<Record<HttpStandin, string>>,
): string {
  let result = text;
  for (const [name, origin] of Object.entries(origins) as [HttpStandin, string][]) {
    result = result.replaceAll(defaultOrigins[name], origin);
  }
  return result;
}
