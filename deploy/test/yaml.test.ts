import { describe, expect, it } from 'vitest';
import { DEPLOY_DIR, fromRoot, isYamlFile, listFiles, parseYamlFile } from './files';

const yamlFiles = listFiles(DEPLOY_DIR, isYamlFile);

describe('YAML under deploy/', () => {
  it('finds the Compose file and the Kubernetes manifests', () => {
    const names = yamlFiles.map(fromRoot);
    expect(names).toContain('deploy/compose.yaml');
    expect(names).toContain('deploy/k8s/base/kustomization.yaml');
    expect(names).toContain('deploy/k8s/overlays/production/kustomization.yaml');
  });

  it.each(yamlFiles.map((path) => [fromRoot(path), path]))('%s parses', (_name, path) => {
    const documents = parseYamlFile(path);
    expect(documents.length).toBeGreaterThan(0);
    expect(documents.every((document) => document !== null && document !== undefined)).toBe(true);
  });
});
