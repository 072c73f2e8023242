import { describe, expect, it } from 'vitest';
import { loadCompose, serviceEnvironment } from './compose';
import { envOf, finalStage, healthcheckCommand, instructionsOf } from './dockerfile';
import { deployPath, readText } from './files';
import { baseManifests, byName, probePort, resolvePort } from './k8s';
import { exampleValues } from './variables';

const examples = exampleValues();
const compose = loadCompose();
const k8s = baseManifests();
const configMap = byName(k8s.configMaps, 'batchgraph-config');
const nginx = readText(deployPath('docker', 'editor.nginx.conf'));

function exposed(image: Parameters<typeof finalStage>[0]): number[] {
  return instructionsOf(finalStage(image), 'EXPOSE').flatMap((e) =>
    e.args.split(/\s+/).map(Number),
  );
}

function container(name: string) {
  const [first] = byName(k8s.deployments, name).spec.template.spec.containers;
  if (!first) throw new Error(`${name} has no container`);
  return first;
}

function targetPort(serviceName: string, deploymentName: string): number | undefined {
  const [port] = byName(k8s.services, serviceName).spec.ports;
  return port && resolvePort(container(deploymentName), port.targetPort);
}

describe('the API port', () => {
  const port = Number(examples.get('BATCHGRAPH_API_PORT'));

  it('is 3000 in .env.example', () => {
    expect(port).toBe(3000);
  });

  it('matches the image: ENV, EXPOSE and HEALTHCHECK', () => {
    const final = finalStage('batchgraph/api');
    expect(Number(envOf(final).get('BATCHGRAPH_API_PORT'))).toBe(port);
    expect(exposed('batchgraph/api')).toEqual([port]);
    expect(healthcheckCommand(final).slice(-2)).toEqual(['BATCHGRAPH_API_PORT', '/api/health']);
  });

  it('matches Compose: the api service and the editor proxy in front of it', () => {
    const api = compose.services.api ?? {};
    expect(Number(serviceEnvironment(api).get('BATCHGRAPH_API_PORT'))).toBe(port);
    expect(api.healthcheck?.test.slice(-2)).toEqual(['BATCHGRAPH_API_PORT', '/api/health']);
    const upstream = /proxy_pass http:\/\/([a-z-]+):(\d+);/.exec(nginx);
    expect(upstream?.[1] && compose.services[upstream[1]]).toBeDefined();
    expect(Number(upstream?.[2])).toBe(port);
  });

  it('matches Kubernetes: ConfigMap, container, probes and Service', () => {
    const api = container('api');
    expect(Number(configMap.data.BATCHGRAPH_API_PORT)).toBe(port);
    expect(resolvePort(api, 'http')).toBe(port);
    for (const probe of [api.startupProbe, api.readinessProbe, api.livenessProbe]) {
      expect(probePort(api, probe)).toBe(port);
    }
    expect(api.readinessProbe?.httpGet?.path).toBe('/api/health');
    expect(targetPort('api', 'api')).toBe(port);
    // The editor's nginx reaches the Service by the same name and port as under Compose.
    const upstream = /proxy_pass http:\/\/([a-z-]+):(\d+);/.exec(nginx);
    const service = byName(k8s.services, upstream?.[1] ?? '');
    expect(service.spec.ports.map((p) => p.port)).toContain(Number(upstream?.[2]));
  });
});

describe('the worker metrics port', () => {
  const final = finalStage('batchgraph/worker');
  const port = Number(envOf(final).get('BATCHGRAPH_METRICS_PORT'));

  it('is set and exposed by the image, which health-checks /metrics on it', () => {
    expect(port).toBe(9464);
    expect(exposed('batchgraph/worker')).toEqual([port]);
    expect(healthcheckCommand(final).slice(-2)).toEqual(['BATCHGRAPH_METRICS_PORT', '/metrics']);
  });

  it('is the same in every Compose worker service', () => {
    for (const name of ['worker-default', 'worker-sync']) {
      const worker = compose.services[name] ?? {};
      expect(Number(serviceEnvironment(worker).get('BATCHGRAPH_METRICS_PORT'))).toBe(port);
      // Listening on the container's address, so that Prometheus can scrape it.
      expect(serviceEnvironment(worker).get('BATCHGRAPH_METRICS_HOST')).toBe('0.0.0.0');
      expect(worker.healthcheck?.test.slice(-2)).toEqual(['BATCHGRAPH_METRICS_PORT', '/metrics']);
    }
  });

  it('is the same in every Kubernetes worker: env, container port, probes, scrape annotation', () => {
    for (const name of ['worker-batchgraph', 'worker-sync']) {
      const worker = container(name);
      const env = new Map(worker.env.map((e) => [e.name, e.value]));
      expect(Number(env.get('BATCHGRAPH_METRICS_PORT'))).toBe(port);
      expect(env.get('BATCHGRAPH_METRICS_HOST')).toBe('0.0.0.0');
      expect(resolvePort(worker, 'metrics')).toBe(port);
      for (const probe of [worker.startupProbe, worker.readinessProbe, worker.livenessProbe]) {
        expect(probePort(worker, probe)).toBe(port);
        expect(probe?.httpGet?.path).toBe('/metrics');
      }
      const annotations = byName(k8s.deployments, name).spec.template.metadata as {
        annotations?: Record<string, string>;
      };
      expect(Number(annotations.annotations?.['prometheus.io/port'])).toBe(port);
    }
  });
});

describe('the editor port', () => {
  const [port] = exposed('batchgraph/editor');

  it('is the port nginx listens on and the image health-checks', () => {
    expect(Number(/listen (\d+);/.exec(nginx)?.[1])).toBe(port);
    expect(healthcheckCommand(finalStage('batchgraph/editor')).at(-1)).toBe(
      `http://127.0.0.1:${port}/healthz`,
    );
  });

  it('is published by Compose on BATCHGRAPH_EDITOR_PORT', () => {
    const editor = compose.services.editor ?? {};
    expect(editor.ports).toEqual([`\${BATCHGRAPH_EDITOR_PORT:-5173}:${port}`]);
    expect(editor.healthcheck?.test.at(-1)).toBe(`http://127.0.0.1:${port}/healthz`);
  });

  it('is the container port behind the Kubernetes Service and probes', () => {
    const editor = container('editor');
    expect(resolvePort(editor, 'http')).toBe(port);
    expect(targetPort('editor', 'editor')).toBe(port);
    expect(probePort(editor, editor.readinessProbe)).toBe(port);
  });
});
