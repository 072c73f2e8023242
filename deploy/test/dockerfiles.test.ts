import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DOCKERFILES,
  execForm,
  finalStage,
  healthcheckCommand,
  IMAGE_NAMES,
  instructionsOf,
  loadStages,
  splitFlags,
} from './dockerfile';
import { REPO_ROOT } from './files';

const NODE_IMAGES = IMAGE_NAMES.filter((image) => image !== 'batchgraph/editor');

describe.each(IMAGE_NAMES)('the %s Dockerfile', (image) => {
  const stages = loadStages(image);
  const final = finalStage(image);

  it('is multi-stage and pins every base image to a version', () => {
    expect(stages.length).toBeGreaterThan(1);
    const stageNames = new Set(stages.map((stage) => stage.name));
    for (const stage of stages.filter((s) => !stageNames.has(s.image))) {
      expect(stage.image, stage.image).toMatch(/^[a-z0-9./-]+:\d+\.\d+(\.\d+)?(-[a-z0-9.-]+)?$/);
    }
  });

  it('runs as a numeric non-root user', () => {
    const user = instructionsOf(final, 'USER').at(-1)?.args ?? '';
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(Number(user.split(':')[0])).toBeGreaterThan(0);
  });

  it('declares a HEALTHCHECK, a STOPSIGNAL and an exec-form CMD', () => {
    expect(healthcheckCommand(final).length).toBeGreaterThan(1);
    expect(instructionsOf(final, 'STOPSIGNAL').at(-1)?.args).toMatch(/^SIG(TERM|QUIT)$/);
    const cmd = instructionsOf(final, 'CMD').at(-1)?.args ?? '';
    expect(execForm(cmd), cmd).toBeDefined();
  });

  it('copies only paths that exist in the repository', () => {
    const copies = stages.flatMap((stage) => instructionsOf(stage, 'COPY'));
    for (const copy of copies) {
      const { flags, rest } = splitFlags(copy.args);
      if (flags.has('from')) continue;
      const sources = rest.split(/\s+/).slice(0, -1);
      for (const source of sources) {
        expect(existsSync(join(REPO_ROOT, source)), `COPY ${source} (line ${copy.line})`).toBe(
          true,
        );
      }
    }
  });

  it('copies the npm manifests of every workspace before npm ci', () => {
    const rootPackage = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      workspaces: string[];
    };
    const copied = stages[0]?.instructions
      .filter((instruction) => instruction.keyword === 'COPY')
      .map((instruction) => instruction.args.split(/\s+/)[0]);
    for (const workspace of rootPackage.workspaces) {
      expect(copied).toContain(`${workspace}/package.json`);
    }
  });

  it('has its own .dockerignore that keeps installs and local data out of the context', () => {
    const ignore = readFileSync(`${DOCKERFILES[image]}.dockerignore`, 'utf8').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '.tools', '.data', '.git']));
  });
});

describe.each(NODE_IMAGES)('the Node image %s', (image) => {
  const final = finalStage(image);

  it('runs Node under dumb-init as PID 1, stopped by SIGTERM', () => {
    expect(execForm(instructionsOf(final, 'ENTRYPOINT').at(-1)?.args ?? '')).toEqual([
      '/usr/bin/dumb-init',
      '--',
    ]);
    expect(instructionsOf(final, 'STOPSIGNAL').at(-1)?.args).toBe('SIGTERM');
    const install = instructionsOf(final, 'RUN')
      .map((run) => run.args)
      .join(' ');
    expect(install).toContain('apt-get install -y --no-install-recommends dumb-init');
  });

  it('starts a TypeScript entry file that tsx can run, with the node binary itself', () => {
    const cmd = execForm(instructionsOf(final, 'CMD').at(-1)?.args ?? '') ?? [];
    expect(cmd.slice(0, 3)).toEqual(['node', '--import', 'tsx']);
    expect(cmd[3]).toMatch(/^(api|workflows)\/src\/(server|worker)\.ts$/);
    expect(existsSync(join(REPO_ROOT, cmd[3] ?? '')), `${cmd[3]} exists`).toBe(true);
  });

  it('health-checks with the bundled probe script', () => {
    const probe = healthcheckCommand(final);
    expect(probe.slice(0, 2)).toEqual(['node', 'deploy/docker/healthcheck.mjs']);
  });
});
