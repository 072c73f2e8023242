import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '@batchgraph/engine';
import { describe, expect, it } from 'vitest';
import {
  composeInterpolations,
  hostOf,
  interpolate,
  isOneShot,
  loadCompose,
  serviceEnvironment,
} from './compose';
import { DOCKERFILES, IMAGE_NAMES } from './dockerfile';
import { DEPLOY_DIR, REPO_ROOT } from './files';
import { exampleValues, KNOWN_VARIABLES } from './variables';

const compose = loadCompose();
const services = Object.entries(compose.services);
/** Services that run Batchgraph's own images, and so read Batchgraph's configuration. */
const batchgraphServices = services.filter(([, service]) => service.build !== undefined);
const examples = exampleValues();
const secrets = new Map([
  ['BATCHGRAPH_ADMIN_KEY', 'k'.repeat(16)],
  ['BATCHGRAPH_SECRET_KEY', 's'.repeat(32)],
]);

describe('deploy/compose.yaml images', () => {
  it.each(services)('%s uses a pinned image tag', (_name, service) => {
    const tag = /^[^:@]+(?::[^:@]+)?:([^:@/]+)$/.exec(service.image ?? '')?.[1];
    expect(tag, `image ${service.image}`).toMatch(/^\d+(\.\d+)+/);
  });

  it('builds each of its images from the Dockerfile that makes it', () => {
    const built = batchgraphServices.map(([, service]) => {
      const build = service.build ?? { context: '', dockerfile: '' };
      const dockerfile = resolve(DEPLOY_DIR, build.context, build.dockerfile);
      const image = (service.image ?? '').split(':')[0] ?? '';
      return { image, dockerfile, context: resolve(DEPLOY_DIR, build.context) };
    });
    for (const { image, dockerfile, context } of built) {
      expect(IMAGE_NAMES).toContain(image);
      expect(dockerfile).toBe(DOCKERFILES[image as keyof typeof DOCKERFILES]);
      expect(context).toBe(REPO_ROOT);
    }
    expect(new Set(built.map((b) => b.image))).toEqual(new Set(IMAGE_NAMES));
  });
});

describe('deploy/compose.yaml health and start order', () => {
  it.each(services)('%s has a healthcheck unless it is a one-shot job', (_name, service) => {
    if (isOneShot(service)) expect(service.healthcheck).toBeUndefined();
    else expect(service.healthcheck?.test.length).toBeGreaterThan(0);
  });

  it('waits on healthchecks and one-shot jobs that exist', () => {
    for (const [name, service] of services) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        const target = compose.services[dependency];
        expect(target, `${name} depends on ${dependency}`).toBeDefined();
        if (!target) continue;
        const expected = isOneShot(target) ? 'service_completed_successfully' : 'service_healthy';
        expect(condition, `${name} → ${dependency}`).toBe(expected);
      }
    }
  });

  it('registers the search attributes in a one-shot job after Temporal is healthy', () => {
    const setup = compose.services['temporal-setup'];
    expect(setup && isOneShot(setup)).toBe(true);
    expect(setup?.entrypoint?.join(' ')).toContain('setup-namespace.sh');
    expect(setup?.depends_on?.temporal?.condition).toBe('service_healthy');
  });

  it('runs two API replicas and one worker service per task queue', () => {
    expect(compose.services.api?.deploy?.replicas).toBe(2);
    const queues = batchgraphServices.flatMap(([, service]) => {
      const value = serviceEnvironment(service).get('BATCHGRAPH_WORKER_QUEUES');
      return value === undefined ? [] : [interpolate(value, examples)];
    });
    expect(queues.sort()).toEqual(['batchgraph', 'commands', 'sync']);
  });

  it('gives workers more time to stop than their own shutdown grace', () => {
    const grace = Number(examples.get('BATCHGRAPH_WORKER_SHUTDOWN_GRACE_SECONDS'));
    const workers = services.filter(([name]) => name.startsWith('worker-'));
    expect(workers.length).toBe(3);
    for (const [, worker] of workers) {
      const seconds = Number(/^(\d+)s$/.exec(worker.stop_grace_period ?? '')?.[1]);
      expect(seconds).toBeGreaterThan(grace);
    }
  });

  it('runs MongoDB as the replica set its connection string names', () => {
    const mongo = compose.services.mongo;
    const command = mongo?.command ?? [];
    const replSet = command[command.indexOf('--replSet') + 1];
    expect(replSet).toBe('rs0');
    const uri = serviceEnvironment(compose.services.api ?? {}).get('MONGODB_URI') ?? '';
    expect(new URL(uri).searchParams.get('replicaSet')).toBe(replSet);
    expect(JSON.stringify(mongo?.healthcheck?.test)).toContain("_id: 'rs0'");
  });
});

describe('deploy/compose.yaml configuration', () => {
  it('references only known variables, with the defaults of .env.example', () => {
    for (const { name, operator, argument } of composeInterpolations()) {
      expect(KNOWN_VARIABLES.has(name), `\${${name}} is not a known variable`).toBe(true);
      if (operator === '-') expect(argument, `default of \${${name}}`).toBe(examples.get(name));
    }
  });

  it.each(batchgraphServices)('%s sets only known variables', (_name, service) => {
    const unknown = [...serviceEnvironment(service).keys()].filter((n) => !KNOWN_VARIABLES.has(n));
    expect(unknown).toEqual([]);
  });

  it.each(batchgraphServices.filter(([name]) => name !== 'editor'))(
    '%s gets a configuration that loadConfig accepts',
    (name, service) => {
      const variables = new Map([...examples, ...secrets]);
      const env = Object.fromEntries(
        [...serviceEnvironment(service)].map(([key, value]) => [
          key,
          interpolate(value, variables),
        ]),
      );
      const config = loadConfig(env);
      expect(config.BATCHGRAPH_API_HOST).toBe('0.0.0.0');
      if (name === 'worker-commands') {
        // The command worker is kept away from the product's secrets.
        expect(config.BATCHGRAPH_ADMIN_KEY).toBeUndefined();
        expect(config.BATCHGRAPH_SECRET_KEY).toBeUndefined();
        expect(config.BATCHGRAPH_COMMANDS_ALLOWED).toEqual(['/usr/bin/rsync']);
      } else {
        expect(config.BATCHGRAPH_ADMIN_KEY).toBe(secrets.get('BATCHGRAPH_ADMIN_KEY'));
      }
    },
  );

  it('points Temporal and MongoDB addresses at services of the file', () => {
    const addresses = services.flatMap(([name, service]) => {
      const env = serviceEnvironment(service);
      return ['TEMPORAL_ADDRESS', 'MONGODB_URI'].flatMap((key) => {
        const value = env.get(key);
        return value === undefined ? [] : [{ name, key, host: hostOf(value) }];
      });
    });
    expect(addresses.length).toBeGreaterThan(4);
    for (const { name, key, host } of addresses) {
      expect(compose.services[host], `${name} ${key} → ${host}`).toBeDefined();
    }
  });

  it('mounts setup scripts that exist', () => {
    for (const [, service] of services) {
      for (const volume of service.volumes ?? []) {
        const [source = ''] = volume.split(':');
        if (source.startsWith('.')) expect(existsSync(resolve(DEPLOY_DIR, source))).toBe(true);
      }
    }
  });
});
