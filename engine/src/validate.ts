/**
 * validateJob: every problem of a job document at once — the schema's, the graph's (DESIGN.md
 * rule 8) and the templates' — plus warnings for tasks that can never run. Never throws.
 */
import { graphProblems } from './graph';
import { jsonPath, problemsFromIssue, type Problem } from './problems';
import { jobSchema, type Job, type Task } from './schema';
import {
  collectTemplates,
  TemplateError,
  type PathSegment,
  type TemplateReference,
} from './template';

export type ValidationResult =
  | { ok: true; job: Job; warnings: Problem[] }
  | { ok: false; errors: Problem[]; warnings: Problem[] };

export function validateJob(input: unknown): ValidationResult {
  try {
    return validate(input);
  } catch (error) {
    // A bug of ours must not turn bad input into a crash; report it as a problem instead.
    return {
      ok: false,
      errors: [
        {
          path: '$',
          code: 'invalid_value',
          message: `The job could not be read: ${String(error)}`,
        },
      ],
      warnings: [],
    };
  }
}

function validate(input: unknown): ValidationResult {
  const parsed = jobSchema.safeParse(input);
  const graph = graphProblems(input);
  const schemaErrors = parsed.success
    ? []
    : parsed.error.issues.flatMap((issue) => problemsFromIssue(input, issue));
  const errors = dedupe([...schemaErrors, ...graph.errors]);
  if (!parsed.success || errors.length > 0) return { ok: false, errors, warnings: graph.warnings };
  const templateErrors = templateProblems(parsed.data);
  if (templateErrors.length > 0)
    return { ok: false, errors: templateErrors, warnings: graph.warnings };
  return { ok: true, job: parsed.data, warnings: graph.warnings };
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.path}\0${problem.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Template references must be well formed and point at tasks upstream of the task using them. */
function templateProblems(job: Job): Problem[] {
  const parents = parentLists(job);
  const taskIds = new Set(job.tasks.map((task) => task.id));
  const problems: Problem[] = [];
  job.tasks.forEach((task, index) => {
    const base: PathSegment[] = ['tasks', index, 'params'];
    let references: TemplateReference[];
    try {
      references = collectTemplates(task.params);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      problems.push({
        path: jsonPath([...base, ...error.location]),
        code: 'invalid_template',
        message: `Task '${task.id}': ${error.message}.`,
      });
      return;
    }
    let upstream: Set<string> | undefined;
    for (const reference of references) {
      const path = jsonPath([...base, ...reference.location]);
      const problem = referenceProblem(
        task,
        reference,
        taskIds,
        () => (upstream ??= ancestors(index, parents, job)),
      );
      if (problem)
        problems.push({ path, ...problem, message: `Task '${task.id}': ${problem.message}.` });
    }
  });
  return problems;
}

function referenceProblem(
  task: Task,
  reference: TemplateReference,
  taskIds: Set<string>,
  upstream: () => Set<string>,
): Omit<Problem, 'path'> | undefined {
  const text = `{{ ${reference.expression} }}`;
  if (reference.root === 'item') {
    const inItemTask = task.type === 'foreach' && reference.location[0] === 'task';
    return inItemTask
      ? undefined
      : {
          code: 'template_item_outside_foreach',
          message: `${text} uses "item", which exists only in the per-item task of a foreach`,
        };
  }
  if (reference.root !== 'tasks') return undefined;
  const [target] = reference.path;
  if (typeof target !== 'string') {
    return { code: 'invalid_template', message: `${text} must name a task: tasks.<id>.output` };
  }
  if (target === task.id) {
    return { code: 'template_not_upstream', message: `${text} refers to the task itself` };
  }
  if (!taskIds.has(target)) {
    return {
      code: 'template_unknown_task',
      message: `${text} refers to task '${target}', which does not exist`,
    };
  }
  if (!upstream().has(target)) {
    return {
      code: 'template_not_upstream',
      message: `${text} refers to task '${target}', which is not upstream of this task (connect it with an edge first)`,
    };
  }
  return undefined;
}

function parentLists(job: Job): number[][] {
  const indexOf = new Map(job.tasks.map((task, index) => [task.id, index]));
  const parents: number[][] = job.tasks.map(() => []);
  for (const edge of job.edges) parents[indexOf.get(edge.to)!]!.push(indexOf.get(edge.from)!);
  return parents;
}

function ancestors(task: number, parents: number[][], job: Job): Set<string> {
  const found = new Set<number>();
  const stack = [...parents[task]!];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (found.has(next)) continue;
    found.add(next);
    stack.push(...parents[next]!);
  }
  return new Set([...found].map((index) => job.tasks[index]!.id));
}
