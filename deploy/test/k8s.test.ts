import { loadConfig } from '@batchgraph/engine';
import { describe, expect, it } from 'vitest';
import { loadCompose } from './compose';
import { IMAGE_NAMES } from './dockerfile';
import { parseYamlFile } from './files';
import { baseManifests, byName, loadKustomization, missingReferences, OVERLAY_DIRS } from './k8s';
import { CONFIG_VARIABLES, KNOWN_VARIABLES } from './variables';

const k8s = baseManifests();
const configMap = byName(k8s.configMaps, 'batchgraph-config');
const secret = byName(k8s.secrets, 'batchgraph-secrets');
/** Keys each worker Deployment sets for itself rather than through the ConfigMap. */
const PER_WORKER_KEYS = [
  'BATCHGRAPH_WORKER_QUEUES',
  'BATCHGRAPH_METRICS_HOST',
  'BATCHGRAPH_METRICS_PORT',
];
/** Secrets without a value to replace: optional, empty in the template. */
const OPTIONAL_SECRETS = ['TEMPORAL_API_KEY'];
const WORKERS = {
  'worker-batchgraph': 'batchgraph',
  'worker-sync': 'sync',
  'worker-commands': 'commands',
};
const composeTag = (loadCompose().services.api?.image ?? '').split(':')[1];

describe('the base configuration', () => {
  it('sets only known variables', () => {
    const keys = [...Object.keys(configMap.data), ...Object.keys(secret.stringData)];
    expect(keys.filter((key) => !KNOWN_VARIABLES.has(key))).toEqual([]);
  });

  it('covers every configSchema key once: ConfigMap, Secret or per worker', () => {
    const keys = [...Object.keys(configMap.data), ...Object.keys(secret.stringData)];
    expect([...keys, ...PER_WORKER_KEYS].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('keeps the secrets in the Secret, as placeholders (empty when optional)', () => {
    expect(Object.keys(secret.stringData).sort()).toEqual([
      'BATCHGRAPH_ADMIN_KEY',
      'BATCHGRAPH_PAYLOAD_KEYS',
      'BATCHGRAPH_SECRET_KEY',
      'BATCHGRAPH_SMTP_URL',
      'MONGODB_URI',
      'TEMPORAL_API_KEY',
    ]);
    for (const [key, value] of Object.entries(secret.stringData)) {
      if (OPTIONAL_SECRETS.includes(key)) expect(value, key).toBe('');
      else expect(value, key).toContain('replace-me');
    }
  });

  it('is accepted by loadConfig, as each worker sees it', () => {
    for (const [name, queue] of Object.entries(WORKERS)) {
      const [worker] = byName(k8s.deployments, name).spec.template.spec.containers;
      const own = Object.fromEntries((worker?.env ?? []).map((e) => [e.name, e.value]));
      const config = loadConfig({ ...configMap.data, ...secret.stringData, ...own });
      expect(config.BATCHGRAPH_WORKER_QUEUES).toEqual([queue]);
      expect(config.BATCHGRAPH_API_HOST).toBe('0.0.0.0');
      // Probes and Prometheus reach /metrics on the pod's address.
      expect(config.BATCHGRAPH_METRICS_HOST).toBe('0.0.0.0');
      expect(config.TEMPORAL_TLS_CLIENT_CERT_PATH).toBeUndefined();
      expect(config.TEMPORAL_API_KEY).toBeUndefined();
    }
  });
});

describe('the command worker', () => {
  const worker = byName(k8s.deployments, 'worker-commands');
  const pod = worker.spec.template.spec;
  const [container] = pod.containers;
  const env = Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value]));

  it('is the only worker that runs commands, isolated from the product’s secrets', () => {
    expect(env['BATCHGRAPH_COMMANDS_ALLOWED']).toMatch(/^\//);
    expect(configMap.data.BATCHGRAPH_COMMANDS_ALLOWED).toBe('');
    expect(JSON.stringify(pod)).not.toContain('batchgraph-secrets');
    const own = byName(k8s.secrets, 'batchgraph-command-worker-secrets');
    expect(Object.keys(own.stringData).sort()).toEqual([
      'BATCHGRAPH_PAYLOAD_KEYS',
      'MONGODB_URI',
      'TEMPORAL_API_KEY',
    ]);
    expect(pod.securityContext?.runAsUser).not.toBe(
      byName(k8s.deployments, 'worker-batchgraph').spec.template.spec.securityContext?.runAsUser,
    );
    expect(container?.resources?.limits?.cpu).toBeDefined();
    expect(container?.resources?.limits?.memory).toBeDefined();
  });
});

describe('the base workloads', () => {
  it.each(k8s.deployments.map((d) => [d.metadata.name, d] as const))(
    '%s runs a Batchgraph image as non-root with probes and resources',
    (_name, deployment) => {
      const pod = deployment.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      for (const container of pod.containers) {
        const [repository, tag] = container.image.split(':');
        expect(IMAGE_NAMES).toContain(repository);
        expect(tag).toBe(composeTag);
        expect(container.readinessProbe).toBeDefined();
        expect(container.livenessProbe).toBeDefined();
        expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
      }
      expect(deployment.spec.template.metadata.labels).toMatchObject(
        deployment.spec.selector.matchLabels,
      );
    },
  );

  it('uses every image the Dockerfiles build', () => {
    const images = k8s.deployments.flatMap((d) =>
      d.spec.template.spec.containers.map((c) => c.image.split(':')[0]),
    );
    expect(new Set(images)).toEqual(new Set(IMAGE_NAMES));
  });

  it('has one worker Deployment per task queue, each with its own autoscaler', () => {
    const workers = k8s.deployments.filter((d) => d.metadata.name.startsWith('worker-'));
    expect(workers.map((d) => d.metadata.name).sort()).toEqual(Object.keys(WORKERS).sort());
    for (const worker of workers) {
      const hpa = byName(k8s.autoscalers, worker.metadata.name);
      expect(hpa.spec.scaleTargetRef).toMatchObject({
        kind: 'Deployment',
        name: worker.metadata.name,
      });
      expect(worker.spec.replicas).toBeUndefined();
    }
    expect(configMap.data.BATCHGRAPH_TASK_QUEUE).toBe(WORKERS['worker-batchgraph']);
  });

  it('autoscales the API and leaves the replica count to its autoscaler', () => {
    const hpa = byName(k8s.autoscalers, 'api');
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(byName(k8s.deployments, 'api').spec.replicas).toBeUndefined();
  });

  it('gives workers more time to stop than their shutdown grace', () => {
    const grace = Number(configMap.data.BATCHGRAPH_WORKER_SHUTDOWN_GRACE_SECONDS);
    for (const name of Object.keys(WORKERS)) {
      const pod = byName(k8s.deployments, name).spec.template.spec;
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(grace);
    }
  });

  it('routes each Service to a Deployment and the secrets and config it names exist', () => {
    for (const service of k8s.services) {
      const targets = k8s.deployments.filter((d) =>
        Object.entries(service.spec.selector).every(
          ([key, value]) => d.spec.template.metadata.labels[key] === value,
        ),
      );
      expect(targets.map((d) => d.metadata.name)).toEqual([service.metadata.name]);
    }
    for (const deployment of k8s.deployments) {
      for (const from of deployment.spec.template.spec.containers.flatMap((c) => c.envFrom)) {
        if (from.configMapRef) expect(from.configMapRef.name).toBe(configMap.metadata.name);
        if (from.secretRef) {
          expect(from.secretRef.name).toBe(
            deployment.metadata.name === 'worker-commands'
              ? 'batchgraph-command-worker-secrets'
              : secret.metadata.name,
          );
        }
      }
    }
  });
});

describe.each(Object.entries(OVERLAY_DIRS))('the %s overlay', (_name, dir) => {
  const kustomization = loadKustomization(dir);
  const baseNames = new Set(k8s.objects.map((object) => `${object.kind}/${object.metadata.name}`));

  it('builds on the base and names only files that exist', () => {
    expect(kustomization.resources).toContain('../../base');
    expect(missingReferences(dir, kustomization)).toEqual([]);
    expect(kustomization.namespace).toBe('batchgraph');
  });

  it('patches only objects of the base', () => {
    for (const patch of kustomization.patches) {
      const { kind, name } = patch.target ?? {};
      if (kind && name) expect(baseNames).toContain(`${kind}/${name}`);
      if (patch.path && !patch.target) {
        for (const document of parseYamlFile(`${dir}/${patch.path}`)) {
          const object = document as { kind: string; metadata: { name: string } };
          expect(baseNames).toContain(`${object.kind}/${object.metadata.name}`);
        }
      }
    }
  });

  it('retags only images the Dockerfiles build', () => {
    for (const image of kustomization.images) expect(IMAGE_NAMES).toContain(image.name);
  });

  it('overrides only known configuration', () => {
    for (const patch of kustomization.patches.filter((p) => p.path && !p.target)) {
      for (const document of parseYamlFile(`${dir}/${patch.path}`)) {
        const object = document as { data?: object; stringData?: object };
        const keys = Object.keys({ ...object.data, ...object.stringData });
        expect(keys.filter((key) => !KNOWN_VARIABLES.has(key))).toEqual([]);
      }
    }
  });
});

describe('the production overlay', () => {
  const production = loadKustomization(OVERLAY_DIRS.production);

  it('drops the placeholder Secret so that a real one must be provided', () => {
    const patch = production.patches.find((p) => p.path === 'secret-managed-elsewhere.yaml');
    const [document] = parseYamlFile(`${OVERLAY_DIRS.production}/${patch?.path}`);
    expect(document).toMatchObject({ kind: 'Secret', metadata: { name: secret.metadata.name } });
    expect(document).toHaveProperty('$patch', 'delete');
  });

  it('runs more API replicas than the base', () => {
    const patch = production.patches.find(
      (p) => p.target?.kind === 'HorizontalPodAutoscaler' && p.target.name === 'api',
    );
    const minReplicas = /path: \/spec\/minReplicas\s+value: (\d+)/.exec(patch?.patch ?? '')?.[1];
    expect(Number(minReplicas)).toBeGreaterThan(byName(k8s.autoscalers, 'api').spec.minReplicas);
  });

  it('points the Temporal client certificate variables at the files it mounts', () => {
    const [config] = parseYamlFile(`${OVERLAY_DIRS.production}/config.yaml`) as {
      data: Record<string, string>;
    }[];
    const operations = parseYamlFile(`${OVERLAY_DIRS.production}/temporal-mtls.yaml`)[0] as {
      path: string;
      value: { mountPath?: string; secret?: { secretName: string } };
    }[];
    const mountPath = operations.find((op) => op.path.includes('volumeMounts'))?.value.mountPath;
    const volume = operations.find((op) => op.path.includes('volumes'))?.value.secret;
    expect(volume?.secretName).toBe('temporal-client-tls');
    const merged = loadConfig({ ...configMap.data, ...config?.data });
    expect(merged.TEMPORAL_TLS_CLIENT_CERT_PATH).toBe(`${mountPath}/tls.crt`);
    expect(merged.TEMPORAL_TLS_CLIENT_KEY_PATH).toBe(`${mountPath}/tls.key`);
  });

  it('scales each worker pool on schedule-to-start latency for its own queue', () => {
    for (const [name, queue] of Object.entries(WORKERS)) {
      const patch = production.patches.find((p) => p.target?.name === name);
      const operations = parseYamlFile(`${OVERLAY_DIRS.production}/${patch?.path}`)[0];
      expect(JSON.stringify(operations)).toContain(`"task_queue":"${queue}"`);
      expect(JSON.stringify(operations)).toContain('schedule_to_start');
    }
  });
});
