/**
 * Starts every stand-in of the remote systems the example jobs call, on loopback only.
 * `npm run standins -w @batchgraph/examples` serves them on their fixed ports (see ports.ts);
 * tests call `startStandins({ ports })` in-process, with port 0 for free ports.
 */
import { pathToFileURL } from 'node:url';
import type { Express } from 'express';
import { createCatalogApp } from './catalog';
import { createEntitiesApp } from './entities';
import { createErpApp } from './erp';
import { listen, type RunningServer } from './http';
import { createIamApp } from './iam';
import { createNetworkApp } from './network';
import { defaultPorts, portsFromEnv, type HttpStandin, type StandinPorts } from './ports';
import { Mailbox, createInboxApp, startSmtpSink } from './smtp-sink';

export interface Standins {
  /** Origins of the HTTP stand-ins, e.g. urls.iam = http://127.0.0.1:4011. */
  urls: Record<HttpStandin, string>;
  smtpPort: number;
  mailbox: Mailbox;
  close(): Promise<void>;
}

export { defaultPorts, type HttpStandin, type StandinPorts };

export async function startStandins(
  options: { ports?: Partial<StandinPorts> } = {},
): Promise<Standins> {
  const ports = { ...defaultPorts, ...options.ports };
  const mailbox = new Mailbox();
  const apps: Record<HttpStandin, Express> = {
    iam: createIamApp(),
    catalog: createCatalogApp(),
    entities: createEntitiesApp(),
    network: createNetworkApp(),
    erp: createErpApp(),
    inbox: createInboxApp(mailbox),
  };
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    await Promise.allSettled(closers.map((closeOne) => closeOne()));
  };
  try {
    const sink = await startSmtpSink(mailbox, ports.smtp);
    closers.push(sink.close);
    const urls = {} as Record<HttpStandin, string>;
    for (const [name, app] of Object.entries(apps) as [HttpStandin, Express][]) {
      const server: RunningServer = await listen(name, app, ports[name]);
      closers.push(server.close);
      urls[name] = server.url;
    }
    return { urls, smtpPort: sink.port, mailbox, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function main(): Promise<void> {
  const standins = await startStandins({ ports: portsFromEnv(process.env) });
  const lines = Object.entries(standins.urls).map(([name, url]) => `  ${name.padEnd(9)} ${url}`);
  process.stdout.write(
    `Stand-ins listening:\n${lines.join('\n')}\n  smtp      smtp://127.0.0.1:${standins.smtpPort}\n`,
  );
  const stop = (): void => {
    standins.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
