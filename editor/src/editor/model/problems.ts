/** Maps the engine's problem paths ($.tasks[1].params.url, $.edges[0].to, …) onto the editor. */
import type { Problem } from '@batchgraph/engine';

export type Severity = 'error' | 'warning';

export interface EditorProblem extends Problem {
  severity: Severity;
}

export type ProblemTarget =
  | { kind: 'task'; index: number; field: string }
  | { kind: 'edge'; index: number; field: string }
  | { kind: 'schedule'; field: string }
  | { kind: 'settings'; field: string }
  | { kind: 'job'; field: string };

const INDEXED = /^\$\.(tasks|edges)\[(\d+)\]\.?(.*)$/;

export function problemTarget(path: string): ProblemTarget {
  const indexed = INDEXED.exec(path);
  if (indexed) {
    const kind = indexed[1] === 'tasks' ? 'task' : 'edge';
    return { kind, index: Number(indexed[2]), field: indexed[3] ?? '' };
  }
  const section = /^\$\.(schedule|settings)\.?(.*)$/.exec(path);
  if (section) {
    return { kind: section[1] as 'schedule' | 'settings', field: section[2] ?? '' };
  }
  return { kind: 'job', field: path.replace(/^\$\.?/, '') };
}

export interface ProblemIndex {
  all: EditorProblem[];
  /** Worst severity per task index and per edge index. */
  tasks: Map<number, Severity>;
  edges: Map<number, Severity>;
  /** Problems under a JSON path prefix, for form fields. */
  under: (prefix: string) => EditorProblem[];
}

export function indexProblems(errors: Problem[], warnings: Problem[]): ProblemIndex {
  const all: EditorProblem[] = [
    ...errors.map((problem) => ({ ...problem, severity: 'error' as const })),
    ...warnings.map((problem) => ({ ...problem, severity: 'warning' as const })),
  ];
  const tasks = new Map<number, Severity>();
  const edges = new Map<number, Severity>();
  for (const problem of all) {
    const target = problemTarget(problem.path);
    if (target.kind !== 'task' && target.kind !== 'edge') continue;
    const map = target.kind === 'task' ? tasks : edges;
    if (map.get(target.index) !== 'error') map.set(target.index, problem.severity);
  }
  const under = (prefix: string) =>
    all.filter(
      (problem) =>
        problem.path === prefix ||
        problem.path.startsWith(`${prefix}.`) ||
        problem.path.startsWith(`${prefix}[`),
    );
  return { all, tasks, edges, under };
}

export const noProblems: ProblemIndex = indexProblems([], []);
