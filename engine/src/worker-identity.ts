/**
 * What a worker tells Temporal about itself in its poller identity, so the API can read from
 * DescribeTaskQueue alone whether the workers serving a queue run `command` tasks:
 * `<pid>@<host> commands:on` (or `commands:off`). Temporal shows the identity in its UI as well.
 */
export function workerIdentity(base: string, commandsEnabled: boolean): string {
  return `${base} commands:${commandsEnabled ? 'on' : 'off'}`;
}

/** Whether the worker behind this poller identity runs command tasks; undefined when it does not say. */
export function commandsEnabledIn(identity: string): boolean | undefined {
  const said = /\bcommands:(on|off)\b/.exec(identity);
  return said ? said[1] === 'on' : undefined;
}

/** A poller seen within this long still polls: Temporal's long polls last up to a minute. */
export const LIVE_POLLER_MS = 75_000;
