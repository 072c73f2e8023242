import { loadConfig } from '@batchgraph/engine';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, LOCAL_ONLY_VARIABLES, parseEnvExample } from './variables';

const example = parseEnvExample();
const defaults = loadConfig({});

describe('deploy/.env.example', () => {
  it('lists exactly the keys of configSchema in its product section', () => {
    expect(example.product.map((v) => v.name).sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('lists exactly the local-stack-only variables in its own section', () => {
    expect(example.localOnly.map((v) => v.name).sort()).toEqual([...LOCAL_ONLY_VARIABLES].sort());
  });

  it('explains every variable in a comment line right above it', () => {
    const unexplained = [...example.product, ...example.localOnly]
      .filter((v) => !v.comment || v.comment.length < 10)
      .map((v) => `${v.name} (line ${v.line})`);
    expect(unexplained).toEqual([]);
  });

  it.each(example.product.map((v) => [v.name, v.value] as const))(
    'gives %s the default configSchema gives it',
    (name, value) => {
      const key = name as keyof typeof defaults;
      expect(loadConfig({ [name]: value })[key]).toEqual(defaults[key]);
    },
  );

  it('sets each variable once', () => {
    const names = [...example.product, ...example.localOnly].map((v) => v.name);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });
});
