/** A small Dockerfile reader: enough to check base images, users, ports and copied paths. */
import { deployPath, readText } from './files';

export const DOCKERFILES = {
  'batchgraph/api': deployPath('docker', 'api.Dockerfile'),
  'batchgraph/worker': deployPath('docker', 'worker.Dockerfile'),
  'batchgraph/editor': deployPath('docker', 'editor.Dockerfile'),
} as const;

export type ImageName = keyof typeof DOCKERFILES;
export const IMAGE_NAMES = Object.keys(DOCKERFILES) as ImageName[];

export interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
  line: number;
}

export interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** The instructions of a Dockerfile, with comments dropped and `\` continuations joined. */
export function parseInstructions(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const continued = line.endsWith('\\');
    const part = continued ? line.slice(0, -1).trim() : line;
    pending = pending
      ? { text: `${pending.text} ${part}`, line: pending.line }
      : { text: part, line: index + 1 };
    if (continued) return;
    const [keyword = '', ...rest] = pending.text.split(/\s+/);
    instructions.push({ keyword: keyword.toUpperCase(), args: rest.join(' '), line: pending.line });
    pending = undefined;
  });
  return instructions;
}

export function parseStages(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of parseInstructions(text)) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(/\s+/);
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

export function loadStages(image: ImageName): Stage[] {
  return parseStages(readText(DOCKERFILES[image]));
}

/** The stage that becomes the image: the last one. */
export function finalStage(image: ImageName): Stage {
  const stage = loadStages(image).at(-1);
  if (!stage) throw new Error(`${DOCKERFILES[image]} has no FROM`);
  return stage;
}

export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}

/** The JSON array of an exec-form instruction (`CMD ["node", …]`), or undefined for shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  const parsed: unknown = JSON.parse(args);
  return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')
    ? parsed
    : undefined;
}

/** Leading `--flag=value` options of COPY or HEALTHCHECK, and the words after them. */
export function splitFlags(args: string): { flags: Map<string, string>; rest: string } {
  const flags = new Map<string, string>();
  let rest = args;
  for (let match = /^--([a-z-]+)=(\S+)\s*/.exec(rest); match;) {
    flags.set(match[1] ?? '', match[2] ?? '');
    rest = rest.slice(match[0].length);
    match = /^--([a-z-]+)=(\S+)\s*/.exec(rest);
  }
  return { flags, rest };
}

/** ENV assignments of a stage (`ENV A=1 B=2` form). */
export function envOf(stage: Stage): Map<string, string> {
  const env = new Map<string, string>();
  for (const { args } of instructionsOf(stage, 'ENV')) {
    for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S+)/g)) {
      env.set(match[1] ?? '', match[2] ?? '');
    }
  }
  return env;
}

/** The command a HEALTHCHECK runs, as an argument list. */
export function healthcheckCommand(stage: Stage): string[] {
  const [healthcheck] = instructionsOf(stage, 'HEALTHCHECK');
  if (!healthcheck) return [];
  const { rest } = splitFlags(healthcheck.args);
  return execForm(rest.replace(/^CMD\s+/, '')) ?? [];
}
