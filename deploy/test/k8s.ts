/** The Kubernetes manifests: kustomizations and the objects of the base. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { deployPath, fromRoot, parseYamlDocument, parseYamlFile } from './files';

export const BASE_DIR = deployPath('k8s', 'base');
export const OVERLAY_DIRS = {
  local: deployPath('k8s', 'overlays', 'local'),
  production: deployPath('k8s', 'overlays', 'production'),
};

const patchSchema = z.looseObject({
  path: z.string().optional(),
  patch: z.string().optional(),
  target: z
    .looseObject({
      kind: z.string().optional(),
      name: z.string().optional(),
      labelSelector: z.string().optional(),
    })
    .optional(),
});

const kustomizationSchema = z.looseObject({
  kind: z.literal('Kustomization'),
  namespace: z.string().optional(),
  resources: z.array(z.string()).default([]),
  patches: z.array(patchSchema).default([]),
  images: z
    .array(
      z.looseObject({
        name: z.string(),
        newName: z.string().optional(),
        newTag: z.string().optional(),
      }),
    )
    .default([]),
});

export type Kustomization = z.infer<typeof kustomizationSchema>;

export function loadKustomization(dir: string): Kustomization {
  return kustomizationSchema.parse(parseYamlDocument(join(dir, 'kustomization.yaml')));
}

const objectSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({
    name: z.string(),
    labels: z.record(z.string(), z.string()).optional(),
  }),
});

export type K8sObject = z.infer<typeof objectSchema>;

const portSchema = z.looseObject({ name: z.string(), containerPort: z.number().int() });
const probeSchema = z.looseObject({
  httpGet: z.looseObject({ path: z.string(), port: z.union([z.string(), z.number()]) }).optional(),
  tcpSocket: z.looseObject({ port: z.union([z.string(), z.number()]) }).optional(),
});

const containerSchema = z.looseObject({
  name: z.string(),
  image: z.string(),
  ports: z.array(portSchema).default([]),
  env: z.array(z.looseObject({ name: z.string(), value: z.string().optional() })).default([]),
  envFrom: z
    .array(
      z.looseObject({
        configMapRef: z.looseObject({ name: z.string() }).optional(),
        secretRef: z.looseObject({ name: z.string() }).optional(),
      }),
    )
    .default([]),
  startupProbe: probeSchema.optional(),
  readinessProbe: probeSchema.optional(),
  livenessProbe: probeSchema.optional(),
  resources: z.looseObject({
    requests: z.looseObject({ cpu: z.string(), memory: z.string() }),
    limits: z.looseObject({ memory: z.string() }),
  }),
  securityContext: z.looseObject({
    allowPrivilegeEscalation: z.literal(false),
    readOnlyRootFilesystem: z.boolean().optional(),
  }),
});

export type Container = z.infer<typeof containerSchema>;
export type Probe = z.infer<typeof probeSchema>;

const deploymentSchema = objectSchema.extend({
  kind: z.literal('Deployment'),
  spec: z.looseObject({
    replicas: z.number().int().optional(),
    selector: z.looseObject({ matchLabels: z.record(z.string(), z.string()) }),
    template: z.looseObject({
      metadata: z.looseObject({ labels: z.record(z.string(), z.string()) }),
      spec: z.looseObject({
        terminationGracePeriodSeconds: z.number().int(),
        securityContext: z.looseObject({
          runAsNonRoot: z.boolean(),
          runAsUser: z.number().int().optional(),
        }),
        containers: z.array(containerSchema).min(1),
      }),
    }),
  }),
});

export type Deployment = z.infer<typeof deploymentSchema>;

const serviceSchema = objectSchema.extend({
  kind: z.literal('Service'),
  spec: z.looseObject({
    selector: z.record(z.string(), z.string()),
    ports: z.array(
      z.looseObject({
        name: z.string().optional(),
        port: z.number().int(),
        targetPort: z.union([z.string(), z.number()]),
      }),
    ),
  }),
});

export type Service = z.infer<typeof serviceSchema>;

const hpaSchema = objectSchema.extend({
  kind: z.literal('HorizontalPodAutoscaler'),
  spec: z.looseObject({
    scaleTargetRef: z.looseObject({ kind: z.string(), name: z.string() }),
    minReplicas: z.number().int(),
    maxReplicas: z.number().int(),
  }),
});

const configMapSchema = objectSchema.extend({
  kind: z.literal('ConfigMap'),
  data: z.record(z.string(), z.string()),
});

const secretSchema = objectSchema.extend({
  kind: z.literal('Secret'),
  stringData: z.record(z.string(), z.string()),
});

/** The objects of the base kustomization, read from the files it lists. */
export function loadBaseObjects(): K8sObject[] {
  return loadKustomization(BASE_DIR).resources.flatMap((resource) =>
    parseYamlFile(join(BASE_DIR, resource)).map((document) => objectSchema.parse(document)),
  );
}

function ofKind<T>(objects: K8sObject[], kind: string, schema: z.ZodType<T>): T[] {
  return objects.filter((object) => object.kind === kind).map((object) => schema.parse(object));
}

export function baseManifests() {
  const objects = loadBaseObjects();
  return {
    objects,
    deployments: ofKind(objects, 'Deployment', deploymentSchema),
    services: ofKind(objects, 'Service', serviceSchema),
    autoscalers: ofKind(objects, 'HorizontalPodAutoscaler', hpaSchema),
    configMaps: ofKind(objects, 'ConfigMap', configMapSchema),
    secrets: ofKind(objects, 'Secret', secretSchema),
  };
}

export function byName<T extends { metadata: { name: string } }>(items: T[], name: string): T {
  const found = items.find((item) => item.metadata.name === name);
  if (!found) throw new Error(`no object named ${name}`);
  return found;
}

/** A container port, by number or by the name a probe or Service uses for it. */
export function resolvePort(container: Container, port: string | number): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports.find((candidate) => candidate.name === port)?.containerPort;
}

export function probePort(container: Container, probe: Probe | undefined): number | undefined {
  const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
  return port === undefined ? undefined : resolvePort(container, port);
}

/** Files a kustomization names (resources, patch files) that are missing. */
export function missingReferences(dir: string, kustomization: Kustomization): string[] {
  const paths = [
    ...kustomization.resources,
    ...kustomization.patches.flatMap((patch) => (patch.path ? [patch.path] : [])),
  ];
  return paths
    .filter((path) => !existsSync(join(dir, path)))
    .map((path) => fromRoot(join(dir, path)));
}
